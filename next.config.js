/** @type {import('next').NextConfig} */
const nextConfig = {
  // chDB is a native addon that owns a process-wide engine: never bundle it.
  serverExternalPackages: ['chdb', '@electric-sql/pglite', 'kysely-pglite'],
  poweredByHeader: false,
  typescript: { ignoreBuildErrors: false },
};

export default nextConfig;
