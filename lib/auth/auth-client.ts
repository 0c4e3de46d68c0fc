'use client';

import { createAuthClient } from 'better-auth/react';

/** Same-origin Better Auth client for the browser. */
export const authClient = createAuthClient();
