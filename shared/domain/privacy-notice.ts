/**
 * The privacy notice (PIPL art. 17; issue 21 item 2): its one text, Chinese first, and its
 * version. Changing a word of it means a new `version` (the date it takes effect): everybody is
 * asked again, because acknowledgements are kept per version (`PERSON#<sub>` / `NOTICE#<version>`).
 */
import type { Bilingual } from './campaign';

/** The current notice. */
export const PRIVACY_NOTICE: { readonly version: string; readonly text: Bilingual } = {
  version: '2026-12-01',
  text: {
    zh: [
      '个人信息处理告知',
      '',
      '本系统由举办活动季的市科学技术协会（以下简称“市科协”）运营，用于全国科普日活动的登记、报送与评价。',
      '',
      '一、我们处理哪些信息：您为所在单位填报的联系人姓名、联系电话、电子邮箱；单位的 webhook 网址；您的账号标识（sub，不含姓名）以及您在何时修改了哪些内容；您上传的照片、视频与文档（照片中的拍摄位置等 EXIF 信息会被去除）。',
      '二、为什么处理：活动季期间就单位报送的活动与总结联系您核实情况；记录修改历史以便核查；向单位的群机器人发送截止提醒。依据《个人信息保护法》第十三条第一款第（二）项、第（七）项等规定处理，以实际适用者为准。',
      '三、谁能看到：本单位的报送人员，以及本市活动季的评审人员、管理员和数据分析人员，各自仅限其职责范围。',
      '四、保存多久：活动季定义的保存期限届满后删除或假名化；日志中不记录姓名、电话、电子邮箱和 webhook 网址。',
      '五、您的权利：您可以查阅、下载本系统中与您有关的信息（GET /v1/me/data），也可以请所在城市的科协管理员更正、删除或假名化这些信息。',
      '',
      '详细清单见 docs/privacy.md。',
    ].join('\n'),
    en: [
      'Privacy notice',
      '',
      'This system is run by the city association for science and technology that holds the campaign (“the association”) to register, collect and score the activities of National Science Popularization Day.',
      '',
      '1. What we process: the contact name, phone number and e-mail address you give for your unit; your unit’s webhook URL; your account id (`sub`, no name in it) and what you changed when; the photos, videos and documents you upload (location and other EXIF data are removed from photos).',
      '2. Why: during the campaign, to reach you about your unit’s activities and summary; to keep a history of changes for checks; to send deadline reminders to your unit’s group robot. Under PIPL art. 13 para. 1 items (2) and (7), as the case applies.',
      '3. Who sees it: your unit’s reporting staff, and the reviewers, admins and analysts of your city’s campaign, each within their duties.',
      '4. How long: until the campaign’s retention period ends, then it is deleted or pseudonymised. Names, phone numbers, e-mail addresses and webhook URLs are never written to logs.',
      '5. Your rights: you can see and download what the system holds about you (GET /v1/me/data), and ask your city association’s admin to correct, erase or pseudonymise it.',
      '',
      'The full inventory is docs/privacy.md.',
    ].join('\n'),
  },
};
