import { z } from 'zod';
import { guard, badRequest, failed, readJson } from '../../exceptions/exception-route-support';
import { changeRuleSettings } from '@/lib/exceptions/change-rule-settings';
import { isRuleName, ruleNames, ruleSettingsSchema } from '@/lib/exceptions/rule-catalogue';
import { readRuleSettings, UnknownThresholdError } from '@/lib/exceptions/rule-settings-store';
import { ruleSettingsViews } from '@/lib/exceptions/rule-settings-view';

export const dynamic = 'force-dynamic';

/** Every rule: its queue, label, settings in force, defaults and what each threshold means. */
export async function GET(request: Request): Promise<Response> {
  const g = await guard(request, 'admin');
  if ('response' in g) return g.response;
  try {
    return Response.json({ rules: ruleSettingsViews(await readRuleSettings(g.db)) });
  } catch (err) {
    return failed('admin/exception-rules', err);
  }
}

const bodySchema = z.object({ rule: z.string(), settings: ruleSettingsSchema });

/** Replaces one rule's settings (recorded in the audit log); the engine reads them on its next run. */
export async function PUT(request: Request): Promise<Response> {
  const g = await guard(request, 'admin');
  if ('response' in g) return g.response;
  const body = bodySchema.safeParse(await readJson(request));
  if (!body.success)
    return badRequest(
      `Send {rule, settings: {enabled, slaMinutes, thresholds}}: ${body.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`,
    );
  if (!isRuleName(body.data.rule))
    return badRequest(`Unknown rule "${body.data.rule}"; the rules are ${ruleNames.join(', ')}.`);
  const { user } = g.session;
  try {
    const settings = await changeRuleSettings(g.db, { userId: user.id, name: user.name, role: user.role }, body.data.rule, body.data.settings);
    return Response.json({ rule: body.data.rule, settings });
  } catch (err) {
    if (err instanceof UnknownThresholdError) return badRequest(err.message);
    return failed('admin/exception-rules', err);
  }
}
