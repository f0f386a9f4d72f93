/**
 * 2021 年新乡市全国科普日活动 — from 新科协〔2021〕20号, the notice of 2021-09-08
 * (`reference/notice-2021-xinxiang-kepuri.txt`). Data only: every rule reads it.
 */
import { countyCounterparts, DEFAULT_CAPS, DEFAULT_RETENTION_DAYS, DEFAULT_PENALTY, type CampaignDefinition } from '../domain/campaign';

/** The ten issuers of the notice; each county has a counterpart of each (各县（市、区）…). */
const ISSUERS = [
  { key: 'kx', type: 'association', city: '市科协', county: '科协', en: 'Association for Science and Technology' },
  { key: 'xcb', type: 'department', city: '市委宣传部', county: '委宣传部', en: 'Publicity Department' },
  { key: 'jyj', type: 'department', city: '市教育局', county: '教育局', en: 'Education Bureau' },
  { key: 'kjj', type: 'department', city: '市科技局', county: '科技局', en: 'Science and Technology Bureau' },
  { key: 'zrzyj', type: 'department', city: '市自然资源和规划局', county: '自然资源和规划局', en: 'Natural Resources and Planning Bureau' },
  { key: 'sthjj', type: 'department', city: '市生态环境局', county: '生态环境局', en: 'Ecology and Environment Bureau' },
  { key: 'slj', type: 'department', city: '市水利局', county: '水利局', en: 'Water Resources Bureau' },
  { key: 'nyncj', type: 'department', city: '市农业农村局', county: '农业农村局', en: 'Agriculture and Rural Affairs Bureau' },
  { key: 'wjw', type: 'department', city: '市卫生健康委员会', county: '卫生健康委员会', en: 'Health Commission' },
  { key: 'yjglj', type: 'department', city: '市应急管理局', county: '应急管理局', en: 'Emergency Management Bureau' },
] as const;

/** 县（市、区）: the twelve county-level divisions the notice addresses. */
const COUNTY_LEVEL = [
  { id: 'hongqi', name: { zh: '红旗区', en: 'Hongqi District' }, kind: 'district' },
  { id: 'weibin', name: { zh: '卫滨区', en: 'Weibin District' }, kind: 'district' },
  { id: 'fengquan', name: { zh: '凤泉区', en: 'Fengquan District' }, kind: 'district' },
  { id: 'muye', name: { zh: '牧野区', en: 'Muye District' }, kind: 'district' },
  { id: 'xinxiang-county', name: { zh: '新乡县', en: 'Xinxiang County' }, kind: 'county' },
  { id: 'huojia', name: { zh: '获嘉县', en: 'Huojia County' }, kind: 'county' },
  { id: 'yuanyang', name: { zh: '原阳县', en: 'Yuanyang County' }, kind: 'county' },
  { id: 'yanjin', name: { zh: '延津县', en: 'Yanjin County' }, kind: 'county' },
  { id: 'fengqiu', name: { zh: '封丘县', en: 'Fengqiu County' }, kind: 'county' },
  { id: 'weihui', name: { zh: '卫辉市', en: 'Weihui City' }, kind: 'county-level-city' },
  { id: 'huixian', name: { zh: '辉县市', en: 'Huixian City' }, kind: 'county-level-city' },
  { id: 'changyuan', name: { zh: '长垣市', en: 'Changyuan City' }, kind: 'county-level-city' },
] as const;

const FUNCTIONAL_ZONES = [
  { id: 'gaoxin', name: { zh: '高新区', en: 'High-tech Zone' }, kind: 'functional-zone' },
  { id: 'jingkai', name: { zh: '经开区', en: 'Economic Development Zone' }, kind: 'functional-zone' },
  { id: 'pingyuan', name: { zh: '平原示范区', en: 'Pingyuan Demonstration Zone' }, kind: 'functional-zone' },
] as const;

const CITY_LEVEL = { id: 'city', name: { zh: '市直', en: 'City level' }, kind: 'city-level' } as const;

export const xinxiang2021: CampaignDefinition = {
  id: '2021-xinxiang',
  year: 2021,
  cityId: 'xinxiang',
  city: { zh: '新乡市', en: 'Xinxiang' },
  name: { zh: '2021年新乡市全国科普日活动', en: '2021 National Science Popularization Day in Xinxiang' },
  theme: {
    zh: '百年再出发，迈向高水平科技自立自强',
    en: 'A new start after a century: towards high-level self-reliance in science and technology',
  },
  brand: { zh: '2021年全国科普日活动', en: '2021 National Science Popularization Day event' },
  timeZone: 'Asia/Shanghai',
  period: { start: '2021-09-11', end: '2021-09-17' },
  milestones: [
    {
      id: 'registration',
      name: { zh: '登记填报', en: 'Registration and publication' },
      dueDate: '2021-09-24',
      source: '请各活动举办单位于2021年9月24日前注册并登录全国科普日网站……填报活动信息并提前向社会发布。',
    },
    {
      id: 'completion',
      name: { zh: '信息完善与工作总结', en: 'Results and work summary' },
      dueDate: '2021-10-22',
      source: '请各活动举办单位于2021年10月22日前……补充完善活动信息和进展成果……提交科普日活动总结材料。',
    },
  ],
  contentThemes: [
    { id: 'party-centennial', name: { zh: '围绕建党百年，回望创新发展', en: 'The Party centennial and a century of innovation' } },
    { id: 'science-spirit', name: { zh: '弘扬科学精神，激发科学梦想', en: 'The spirit of science and scientific dreams' } },
    { id: 'green-development', name: { zh: '倡导绿色发展，服务生态建设', en: 'Green development and ecology' } },
    { id: 'rural-revitalization', name: { zh: '立足全面小康，助力乡村振兴', en: 'Moderate prosperity and rural revitalization' } },
    { id: 'volunteer-service', name: { zh: '开展志愿服务，深化文明实践', en: 'Volunteer service and civic practice' } },
    { id: 'literacy-outline', name: { zh: '宣传科学素质纲要，推动贯彻实施', en: 'The national scientific literacy outline' } },
  ],
  activityKinds: [
    { id: 'main-venue', name: { zh: '主场活动', en: 'Main-venue event' } },
    { id: 'joint-action', name: { zh: '系列联合行动', en: 'Joint action' } },
  ],
  jointActions: [
    { id: 'carbon', name: { zh: '碳达峰碳中和科普联合行动', en: 'Carbon peak and neutrality' } },
    { id: 'youth-education', name: { zh: '青少年科技教育联合行动', en: 'Youth science education' } },
    { id: 'research-resources', name: { zh: '科技资源科普化联合行动', en: 'Research resources for the public' } },
    { id: 'nuclear', name: { zh: '核科普联合行动', en: 'Nuclear science' } },
    { id: 'water', name: { zh: '水利科普联合行动', en: 'Water' } },
    { id: 'rural', name: { zh: '乡村振兴科普联合行动', en: 'Rural revitalization' } },
    { id: 'health', name: { zh: '卫生健康科普联合行动', en: 'Health' } },
    { id: 'emergency', name: { zh: '应急科普联合行动', en: 'Emergency preparedness' } },
    { id: 'enterprise', name: { zh: '企业科普联合行动', en: 'Enterprises' } },
    { id: 'society', name: { zh: '学会科普联合行动', en: 'Learned societies' } },
    { id: 'venues', name: { zh: '科普阵地联合行动', en: 'Science venues' } },
    { id: 'cloud', name: { zh: '“云上科普日”活动', en: 'Science Day in the cloud' } },
  ],
  counties: [...COUNTY_LEVEL, ...FUNCTIONAL_ZONES, CITY_LEVEL],
  organizations: [
    ...ISSUERS.map((i) => ({
      organizationId: `city-${i.key}`,
      name: { zh: i.city, en: `Xinxiang ${i.en}` },
      county: CITY_LEVEL.id,
      type: i.type,
    })),
    ...countyCounterparts(
      ISSUERS.map((i) => ({ key: i.key, type: i.type, name: { zh: i.county, en: i.en } })),
      COUNTY_LEVEL,
    ),
  ],
  indicators: [
    {
      id: 'mobilization',
      name: { zh: '组织动员', en: 'Organization and mobilization' },
      weight: 15,
      computedShare: 0.6,
      metrics: ['co-organizers', 'counties-covered', 'on-time-rate'],
      reviewerAsks: { zh: '组织领导与协同配合情况', en: 'Leadership and coordination' },
    },
    {
      id: 'scale',
      name: { zh: '数量规模', en: 'Number and scale' },
      weight: 20,
      computedShare: 1,
      metrics: ['registered-activities', 'participants'],
    },
    {
      id: 'publicity',
      name: { zh: '活动宣传', en: 'Publicity' },
      weight: 15,
      computedShare: 0.7,
      metrics: ['news-links', 'accepted-media'],
      reviewerAsks: { zh: '宣传渠道与传播效果', en: 'Channels and reach of the publicity' },
    },
    {
      id: 'highlights',
      name: { zh: '效果亮点', en: 'Effect and highlights' },
      weight: 15,
      computedShare: 0,
      metrics: [],
      reviewerAsks: { zh: '特色鲜明、实效显著的做法', en: 'Distinctive, effective practice' },
    },
    {
      id: 'volunteering',
      name: { zh: '科技志愿', en: 'Science volunteering' },
      weight: 10,
      computedShare: 0.8,
      metrics: ['volunteers', 'volunteer-hours'],
      reviewerAsks: { zh: '科技志愿服务融入活动的程度', en: 'How far volunteering was part of the activities' },
    },
    {
      id: 'joint-actions',
      name: { zh: '联合行动', en: 'Joint actions' },
      weight: 15,
      computedShare: 1,
      metrics: ['joint-actions-covered'],
    },
    {
      id: 'online',
      name: { zh: '网络活动', en: 'Online activities' },
      weight: 10,
      computedShare: 0.8,
      metrics: ['online-activities-with-url'],
      reviewerAsks: { zh: '网络活动的形式与传播热度', en: 'Form and reach of the online activities' },
    },
  ],
  // Reminders 3 days and 1 day before each milestone, 09:00 Beijing time.
  reminders: { daysBefore: [3, 1], localTime: '09:00' },
  // The notice sets no penalty: SciDay's default (docs/scoring.md §4), late 1 point, never delivered 2, at most 10.
  penalty: DEFAULT_PENALTY,
  // At most 100 drafts per unit at once (issue 17, item 10); media per activity: media.<kind>.maxPerActivity.
  caps: DEFAULT_CAPS,
  // Personal information: kept three years after the campaign closes (ADR 0047).
  retentionDays: DEFAULT_RETENTION_DAYS,
  media: {
    photo: {
      contentTypes: ['image/jpeg', 'image/png', 'image/webp', 'image/heic'],
      maxBytes: 20 * 1024 * 1024,
      maxPerActivity: 50,
    },
    video: { contentTypes: ['video/mp4', 'video/quicktime'], maxBytes: 500 * 1024 * 1024, maxPerActivity: 10 },
    document: {
      contentTypes: ['application/pdf', 'application/vnd.openxmlformats-officedocument.wordprocessingml.document'],
      maxBytes: 20 * 1024 * 1024,
      maxPerActivity: 10,
    },
  },
};
