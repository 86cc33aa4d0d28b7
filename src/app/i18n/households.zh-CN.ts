import type { HouseholdCheckState } from '../db/roster-store.ts';

/**
 * Strings of the household list and the sync screen. In their own module,
 * loaded with those lazy chunks, so the sign-in and home screens stay within
 * the field path's JavaScript budget (BENCHMARKS.md), as review.zh-CN.ts and
 * check-form.zh-CN.ts do.
 */
export const householdsText = {
  title: '入户核查',
  back: '首页',
  backLabel: '返回首页',
  loading: '正在读取本机花名册…',
  downloading: '正在下载花名册，下载完成后自动列出…',
  progressText: (received: number, expected: number | null) => (expected === null ? `已接收 ${received} 条` : `已接收 ${received} / ${expected} 条`),
  empty: '本机还没有花名册。联网后回到首页下载，下载完成后这里会列出各户。',
  village: '村（社区）',
  villageOption: (name: string, households: number) => `${name}（${households} 户）`,
  villageCode: (code: string) => `村 ${code}`,

  searchLabel: '查找农户',
  searchHint: '输入姓名、拼音首字母（如 ljg）、门牌号，或身份证后4位以上',
  searchPlaceholder: '姓名 / ljg / 门牌号 / 身份证后4位',
  clearSearch: '清除',
  results: (shown: number, total: number) => (total > shown ? `找到 ${total} 户，显示前 ${shown} 户` : `找到 ${total} 户`),
  noResults: '没有找到。可以换用拼音首字母、门牌号或身份证后4位再试。',
  showMore: '显示更多',
  matchedBy: {
    'house-number': '门牌号',
    'id-suffix': '身份证号',
    initials: '拼音首字母',
    name: '姓名',
  },
  matchedMember: (name: string, how: string) => `成员 ${name}（${how}）`,

  filters: '筛选',
  filter: {
    all: (n: number) => `全部 ${n}`,
    unchecked: (n: number) => `未核查 ${n}`,
    returned: (n: number) => `被退回 ${n}`,
  },
  filterEmpty: '这一类没有农户。',
  group: (name: string, total: number, checked: number) => `${name} · ${total} 户 · 已核查 ${checked}`,
  expandAll: '全部展开',
  collapseAll: '全部收起',
  houseNumber: (n: string) => `${n}号`,
  head: (name: string | null) => name ?? '（户主不在花名册）',
  members: (n: number) => `${n} 人`,
  idLabel: '身份证',
  rowLabel: (house: string, head: string, state: string) => `${house}号 ${head}，${state}，打开核查表`,
  state: {
    unchecked: '未核查',
    draft: '草稿',
    ready: '待上传',
    synced: '已上传',
    returned: '被退回',
    attention: '需处理',
    accepted: '已通过',
  } satisfies Record<HouseholdCheckState, string>,

  coverage: {
    title: '核查进度',
    titleVillage: (village: string) => `${village} 核查进度`,
    households: '已核查户数',
    persons: '已核实人数',
    items: '已核实补贴项目',
    count: (covered: number, total: number) => `${covered} / ${total}`,
    valueText: (covered: number, total: number, pct: number) => `${covered} / ${total}，${pct}%`,
    gaps: (households: number) => `${households} 户已提交但还有人员或补贴项目未核实（户不漏人、人不漏项）`,
    gapLine: (persons: number, items: number) => [persons > 0 ? `${persons} 人未核实` : '', items > 0 ? `${items} 个补贴项目未核实` : ''].filter(Boolean).join('，'),
    loading: '正在计算…',
  },
};

/** The sync badge of the top bars (components/SyncBadge.tsx), used only on lazily loaded screens. */
export const syncBadgeText = {
  syncing: '同步中…',
  offline: '离线',
  offlinePending: (n: number) => `离线 · 待同步 ${n}`,
  pending: (n: number) => `待同步 ${n}`,
  attention: (n: number) => `需处理 ${n}`,
  synced: '已同步',
  linkLabel: (state: string) => `同步状态：${state}，打开同步页面`,
};

export const syncText = {
  title: '同步',
  back: '首页',
  backLabel: '返回首页',
  status: '同步状态',
  online: '已联网',
  offline: '未联网：填写的内容都保存在本机，联网后自动上传。',
  running: '正在同步…',
  phase: {
    idle: '',
    uploading: '正在上传附件…',
    pushing: '正在上传核查表…',
    pulling: '正在下载更新…',
    tasks: '正在同步整改任务…',
  },
  progressLabel: '下载进度',
  progressText: (received: number, expected: number | null) => (expected === null ? `已接收 ${received} 条` : `已接收 ${received} / ${expected} 条`),
  syncNow: '立即同步',
  lastSuccess: (when: string) => `最近一次成功同步：${when}`,
  neverSynced: '本次打开后还没有成功同步过',
  lastError: (msg: string) => `上次同步失败：${msg}`,
  nextAttempt: (when: string) => `下次自动同步：${when}`,
  outcome: {
    done: '同步完成',
    busy: '另一个窗口正在同步',
    offline: '无法连接服务器，稍后自动重试',
    unauthorized: '登录已失效，请重新登录',
    'upgrade-required': '应用需要更新后才能同步，请先更新',
    failed: '同步失败，稍后自动重试',
  },

  waiting: '等待上传',
  waitingCount: (n: number) => (n === 0 ? '没有等待上传的核查表' : `${n} 份核查表等待上传`),
  attention: '需要处理',
  attentionHint: '服务器没有接受这些核查表。请打开修改后重新提交。',
  attentionNone: '没有需要处理的核查表',
  attentionMessage: (msg: string | null) => msg ?? '服务器未说明原因',
  returned: '被退回的核查表',
  returnedComment: (c: string | null) => (c ? `退回意见：${c}` : '没有填写退回意见'),
  recent: '最近已上传',
  recentNone: '还没有从本机上传过核查表',
  formLine: (house: string | null, head: string | null) => (house === null ? '（本机没有这一户）' : `${house}号 ${head ?? ''}`),
  savedAt: (when: string) => `保存于 ${when}`,
  uploadedAt: (when: string, review: string) => `${when} 已上传${review}`,
  uploadedReview: { submitted: '，待审核', returned: '，已被退回', accepted: '，已审核通过' } as Record<string, string>,
  openForm: '打开核查表',

  device: '本机',
  householdsOnDevice: (n: number) => `本机花名册：${n} 户`,
  lastDownloaded: (when: string) => `最近下载花名册：${when}`,
  neverDownloaded: '花名册尚未下载完成',
  storage: (used: string, quota: string) => `存储：已用 ${used} / 可用 ${quota}`,
  storagePersisted: '浏览器已同意持久保存本机数据',
  storageNotPersisted: '建议：把本应用添加到主屏幕，有信号时及时同步，已填写的内容更稳妥',
};

/** A pushed field path in words: 'members.0.name' → '家庭成员 第1项 · name'. */
const SECTION_NAMES: Readonly<Record<string, string>> = {
  household: '本户情况',
  members: '家庭成员',
  items: '补贴项目',
  accounts: '一卡通账户',
  publicity: '公示',
  evidence: '当面核实',
  problems: '发现问题',
  outcome: '核查结果',
  outcomeReason: '未核查原因',
  body: '',
};

export function fieldPathText(path: string): string {
  return path
    .split('.')
    .map((part) => (/^\d+$/.test(part) ? `第${Number(part) + 1}项` : (SECTION_NAMES[part] ?? part)))
    .filter((part) => part !== '')
    .join(' · ');
}
