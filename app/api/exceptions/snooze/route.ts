import { transitionRoute } from '../transition-route';

export const dynamic = 'force-dynamic';
export const POST = transitionRoute('snooze', 'snoozed');
