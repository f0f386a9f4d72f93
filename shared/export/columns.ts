/**
 * The exported tables, column by column: the one declaration the Parquet writer, the CSV
 * writer (Chinese or English header), the data dictionary (docs/data-dictionary.md), the Glue
 * tables on AWS and the local query CLI's views all read. A column added here appears in all
 * of them; a test checks each against this list.
 *
 * Types are logical; each writer maps them (Parquet/DuckDB, Glue/Hive):
 * - `string`: UTF-8 text; `int64`: whole numbers; `double`: decimals; `boolean`;
 * - `timestamptz`: an instant (UTC inside; shown in the campaign's zone);
 * - `list<string>`: a list of text values.
 * A column is nullable unless `required`.
 */
import type { Bilingual } from '../domain/campaign';

export const EXPORT_SCHEMA_VERSION = 1;

export const EXPORT_ENTITIES = ['activities', 'media', 'summaries', 'flags', 'organizations', 'scores'] as const;
export type ExportEntity = (typeof EXPORT_ENTITIES)[number];

export type ColumnType = 'string' | 'int64' | 'double' | 'boolean' | 'timestamptz' | 'list<string>';

export interface ExportColumn {
  readonly name: string;
  readonly type: ColumnType;
  readonly required?: boolean;
  /** The column's meaning, which is also its CSV header (`zh` by default, `en` on request). */
  readonly meaning: Bilingual;
}

export interface ExportTable {
  readonly entity: ExportEntity;
  readonly meaning: Bilingual;
  readonly columns: readonly ExportColumn[];
}

const col = (name: string, type: ColumnType, zh: string, en: string, required = false): ExportColumn => ({
  name,
  type,
  ...(required ? { required } : {}),
  meaning: { zh, en },
});

const campaignId = col('campaign_id', 'string', '活动季编号', 'Campaign id', true);
const organizationId = col('organization_id', 'string', '组织单位编号', 'Organizing unit id', true);

export const EXPORT_TABLES: Readonly<Record<ExportEntity, ExportTable>> = {
  activities: {
    entity: 'activities',
    meaning: { zh: '登记的科普活动（每项一行）', en: 'Registered activities, one row each' },
    columns: [
      col('activity_id', 'string', '活动编号', 'Activity id', true),
      campaignId,
      organizationId,
      col('status', 'string', '状态（draft 草稿 / registered 已登记 / completed 已完善 / withdrawn 已撤回）', 'Status (draft / registered / completed / withdrawn)', true),
      col('title', 'string', '活动名称', 'Title'),
      col('description', 'string', '活动简介', 'Description'),
      col('kind', 'string', '类型（main-venue 主场 / joint-action 联合行动）', 'Kind (main-venue / joint-action)'),
      col('joint_action', 'string', '联合行动', 'Joint action'),
      col('content_themes', 'list<string>', '活动内容主题', 'Content themes'),
      col('format', 'string', '形式（offline 线下 / online 线上 / hybrid 线上线下结合）', 'Format (offline / online / hybrid)'),
      col('starts_at', 'timestamptz', '开始时间', 'Starts at'),
      col('ends_at', 'timestamptz', '结束时间', 'Ends at'),
      col('county', 'string', '县（市、区）', 'County or district'),
      col('audiences', 'list<string>', '面向人群', 'Audiences'),
      col('venue_name', 'string', '场地名称', 'Venue name'),
      col('venue_address', 'string', '场地地址', 'Venue address'),
      col('expected_participants', 'int64', '预计参与人数', 'Expected participants'),
      col('max_on_site', 'int64', '现场人数上限', 'On-site cap'),
      col('online_url', 'string', '线上活动网址', 'Online URL'),
      col('volunteer_count', 'int64', '科技志愿者人数', 'Science volunteers'),
      col('volunteer_hours', 'double', '志愿服务时长（小时）', 'Volunteer hours'),
      col('co_organizers', 'list<string>', '协办单位', 'Co-organizers'),
      col('branded', 'boolean', '是否标注“全国科普日活动”', 'Carries the campaign brand'),
      col('actual_participants', 'int64', '实际参与人数', 'Actual participants'),
      col('news_links', 'list<string>', '新闻报道链接', 'News links'),
      col('results_online_url', 'string', '成果中的线上活动网址', 'Online URL given with the results'),
      col('highlights', 'string', '活动亮点', 'Highlights'),
      col('accepted_photos', 'int64', '已通过审核的照片数', 'Accepted photos'),
      col('accepted_videos', 'int64', '已通过审核的视频数', 'Accepted videos'),
      col('open_flags', 'int64', '未豁免的标记数', 'Flags not waived'),
      col('version', 'int64', '版本号', 'Version', true),
      col('created_at', 'timestamptz', '创建时间', 'Created at', true),
      col('submitted_at', 'timestamptz', '登记发布时间', 'Submitted (registered) at'),
      col('completed_at', 'timestamptz', '信息完善时间', 'Completed at'),
      col('updated_at', 'timestamptz', '最后修改时间', 'Last changed at', true),
    ],
  },
  media: {
    entity: 'media',
    meaning: { zh: '上传的照片、视频和文档（每个文件一行）', en: 'Uploaded photos, videos and documents, one row each' },
    columns: [
      col('media_id', 'string', '文件编号', 'Media id', true),
      campaignId,
      organizationId,
      col('activity_id', 'string', '所属活动编号（工作总结文档为空）', 'Activity id (empty for a summary document)'),
      col('kind', 'string', '类别（photo 照片 / video 视频 / document 文档）', 'Kind (photo / video / document)', true),
      col('status', 'string', '审核状态（pending 待检 / accepted 通过 / rejected 退回）', 'Status (pending / accepted / rejected)', true),
      col('reason', 'string', '退回原因', 'Reason rejected'),
      col('file_name', 'string', '原文件名', 'File name as uploaded'),
      col('content_type', 'string', '文件类型', 'Content type'),
      col('size_bytes', 'int64', '申报大小（字节）', 'Declared size (bytes)'),
      col('sha256', 'string', 'SHA-256 校验值', 'SHA-256'),
      col('captured_at', 'timestamptz', '拍摄时间（EXIF）', 'Captured at (EXIF)'),
      col('warnings', 'list<string>', '提示', 'Warnings'),
      col('created_at', 'timestamptz', '上传申请时间', 'Requested at', true),
    ],
  },
  summaries: {
    entity: 'summaries',
    meaning: { zh: '各单位的工作总结（每单位一行）', en: 'Work summaries, one row per unit' },
    columns: [
      campaignId,
      organizationId,
      col('text', 'string', '工作总结', 'Summary text', true),
      col('document_media_ids', 'list<string>', '附件文档编号', 'Attached document ids'),
      col('version', 'int64', '版本号', 'Version', true),
      col('submitted_at', 'timestamptz', '首次提交时间', 'First submitted at', true),
      col('updated_at', 'timestamptz', '最后修改时间', 'Last changed at', true),
    ],
  },
  flags: {
    entity: 'flags',
    meaning: { zh: '逾期与缺报标记（每个标记一行）', en: 'Late and missing flags, one row each' },
    columns: [
      col('flag_id', 'string', '标记编号', 'Flag id', true),
      campaignId,
      organizationId,
      col('activity_id', 'string', '活动编号（单位级标记为空）', 'Activity id (empty for a unit flag)'),
      col('code', 'string', '标记代码', 'Flag code', true),
      col('milestone', 'string', '节点（registration 登记 / completion 信息完善）', 'Milestone (registration / completion)', true),
      col('raised_at', 'timestamptz', '标记时间', 'Raised at', true),
      col('late_by_seconds', 'int64', '逾期秒数', 'Late by (seconds)'),
      col('waived', 'boolean', '是否已豁免', 'Waived', true),
      col('waived_reason', 'string', '豁免理由', 'Why it was waived'),
      col('waived_at', 'timestamptz', '豁免时间', 'Waived at'),
    ],
  },
  organizations: {
    entity: 'organizations',
    meaning: { zh: '组织单位（每单位一行）', en: 'Organizing units, one row each' },
    columns: [
      campaignId,
      organizationId,
      col('name', 'string', '单位名称', 'Name', true),
      col('name_en', 'string', '英文名称', 'English name'),
      col('county', 'string', '所在县（市、区）', 'County or district', true),
      col('type', 'string', '单位类型', 'Unit type', true),
      col('listed_at', 'timestamptz', '加入时间（活动季定义中的单位为空）', 'Added at (empty for units of the campaign definition)'),
    ],
  },
  scores: {
    entity: 'scores',
    meaning: { zh: '七项指标得分与排名（每单位一行）', en: 'Scores on the seven indicators and rank, one row per unit' },
    columns: [
      campaignId,
      organizationId,
      col('mobilization', 'double', '组织动员得分', 'Organization and mobilization score'),
      col('scale', 'double', '数量规模得分', 'Number and scale score'),
      col('publicity', 'double', '活动宣传得分', 'Publicity score'),
      col('highlights', 'double', '效果亮点得分', 'Effect and highlights score'),
      col('volunteering', 'double', '科技志愿得分', 'Science volunteering score'),
      col('joint_actions', 'double', '联合行动得分', 'Joint actions score'),
      col('online', 'double', '网络活动得分', 'Online activities score'),
      col('penalty', 'double', '逾期扣分', 'Penalty for flags'),
      col('total', 'double', '总分', 'Weighted total', true),
      col('rank', 'int64', '排名', 'Rank', true),
      col('missing', 'list<string>', '缺少的数据', 'What is missing'),
    ],
  },
};
