import { toNextJsHandler } from 'better-auth/next-js';
import { authSlot } from '@/lib/auth/auth';

export const dynamic = 'force-dynamic';

export async function GET(request: Request): Promise<Response> {
  return toNextJsHandler(authSlot.get()).GET(request);
}

export async function POST(request: Request): Promise<Response> {
  return toNextJsHandler(authSlot.get()).POST(request);
}
