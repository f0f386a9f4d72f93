import { findCampaign } from '../../../shared/campaigns/index';
import { safeParseFields } from '../../../shared/domain/issues';
import { issueMessage } from '../../../shared/domain/issue-messages';
import { activitySchemas } from '../../../shared/schemas/activity.schema';
import {
  emptyActivityForm,
  formFieldOf,
  fromApiFields,
  instantToLocalInput,
  localInputToInstant,
  patchBetween,
  toApiFields,
} from '../../../web/src/activity-form';
import { errorsByField } from '../../../web/src/field-errors';

const campaign = findCampaign('2021-xinxiang')!;
const TZ = campaign.timeZone;

const filled = () => ({
  ...emptyActivityForm(),
  title: ' 科普进社区 ',
  kind: 'joint-action',
  jointAction: 'carbon',
  contentThemes: ['green-development'],
  format: 'offline',
  startsAt: '2021-09-15T09:00',
  endsAt: '2021-09-15T11:30',
  county: campaign.counties[0]!.id,
  venueName: '社区活动中心',
  venueAddress: '新乡市红旗区',
  expectedParticipants: 120,
  maxOnSite: 80,
  epidemicPlan: '入场测温、扫码登记、佩戴口罩，控制现场人数不超过八十人。',
  contactName: '张三',
  contactPhone: '13800138000',
  branded: true,
  coOrganizers: '新乡市科技馆\n\n  红旗区图书馆 ',
});

describe('Module: web activity form', () => {
  it('turns what a person typed into fields the API submit schema accepts, times in +08:00', () => {
    // Act
    const fields = toApiFields(filled(), TZ);
    // Assess
    expect(fields.startsAt).toBe('2021-09-15T09:00:00+08:00');
    expect(fields.coOrganizers).toEqual(['新乡市科技馆', '红旗区图书馆']);
    expect(safeParseFields(activitySchemas(campaign).submit, fields)).toMatchObject({ success: true });
  });

  it('leaves empty fields out, so an almost empty draft is a valid draft', () => {
    const fields = toApiFields({ ...emptyActivityForm(), title: '讲座' }, TZ);
    expect(fields).toEqual({ title: '讲座' });
    expect(safeParseFields(activitySchemas(campaign).draft, fields).success).toBe(true);
  });

  it('drops the joint action when the kind is the main venue (a stale choice is not sent)', () => {
    expect(toApiFields({ ...filled(), kind: 'main-venue' }, TZ).jointAction).toBeUndefined();
  });

  it('round-trips an activity from the API back to the same fields', () => {
    const fields = toApiFields(filled(), TZ);
    expect(toApiFields(fromApiFields(fields, TZ), TZ)).toEqual(fields);
  });

  it('patches only what changed and removes with null what was emptied', () => {
    const saved = toApiFields(filled(), TZ);
    const current = toApiFields({ ...filled(), title: '新标题', epidemicPlan: '' }, TZ);
    expect(patchBetween(saved, current)).toEqual({ title: '新标题', epidemicPlan: null });
    expect(patchBetween(saved, saved)).toEqual({});
  });

  it('maps API issue paths to the form field that shows them', () => {
    expect(formFieldOf('venue.name')).toBe('venueName');
    expect(formFieldOf('venue')).toBe('venueName');
    expect(formFieldOf('contact.phone')).toBe('contactPhone');
    expect(formFieldOf('coOrganizers.3')).toBe('coOrganizers');
    expect(formFieldOf('epidemicPlan')).toBe('epidemicPlan');
    expect(formFieldOf('id')).toBeUndefined();
  });

  it('reads and writes datetime-local values in the campaign zone, whatever the offset sent', () => {
    expect(localInputToInstant('2021-09-24T23:59', TZ)).toBe('2021-09-24T23:59:00+08:00');
    expect(instantToLocalInput('2021-09-24T15:59:00Z', TZ)).toBe('2021-09-24T23:59');
    expect(localInputToInstant('not a time', TZ)).toBeUndefined();
  });
});

describe('Function: errorsByField', () => {
  it('shows the server’s finding on its field, in the current language when the browser found the same', () => {
    const local = [{ path: 'epidemicPlan', code: 'epidemic_plan_required', params: { min: 20 } }];
    const server = [
      { path: 'epidemicPlan', code: 'epidemic_plan_required', message: 'Offline and hybrid activities need an epidemic prevention plan (at least 20 characters)' },
      { path: 'venue.name', code: 'venue_required', message: '线下或线上线下结合的活动须填写活动场地（名称和地址）' },
    ];
    const errors = errorsByField(local, server, formFieldOf, (code, params) => issueMessage(code, 'zh-CN', params));
    expect(errors.epidemicPlan).toContain('疫情防控方案');
    expect(errors.venueName).toContain('活动场地');
  });
});
