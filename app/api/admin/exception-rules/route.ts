import { z } from 'zod';
import { guard, badRequest, failed, readJson } from '../../exceptions/exception-route-support';
import { isRuleName, RULES, ruleNames, ruleSettingsSchema } from '@/lib/exceptions/rule-catalogue';
import { readRuleSettings, saveRuleSettings, UnknownThresholdError } from '@/lib/exceptions/rule-settings-store';

export const dynamic = 'force-dynamic';

/** Every rule: its queue, label, settings in force, defaults and what each threshold means. */
export async function GET(request: Request): Promise<Response> {
  const g = await guard(request, 'admin');
  if ('response' in g) return g.response;
  try {
    const settings = await readRuleSettings(g.db);
    return Response.json({
      rules: ruleNames.map((rule) => ({
        rule,
        queue: RULES[rule].queue,
        label: RULES[rule].label,
        settings: settings[rule],
        defaults: RULES[rule].defaults,
        thresholdHelp: RULES[rule].thresholdHelp,
      })),
    });
  } catch (err) {
    return failed('admin/exception-rules', err);
  }
}

const bodySchema = z.object({ rule: z.string(), settings: ruleSettingsSchema });

/** Replaces one rule's settings; the engine reads them on its next run. */
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
  try {
    await saveRuleSettings(g.db, body.data.rule, body.data.settings, g.session.user.id);
    return Response.json({ rule: body.data.rule, settings: (await readRuleSettings(g.db))[body.data.rule] });
  } catch (err) {
    if (err instanceof UnknownThresholdError) return badRequest(err.message);
    return failed('admin/exception-rules', err);
  }
}
