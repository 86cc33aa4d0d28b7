import type { Role } from '#shared/schemas/auth.ts';

/** Every user-visible string of the app. Chinese first; keys in English. */
export const zhCN = {
  appName: '一卡通入户核查',
  appShortName: '入户核查',
  /** '2026年12月2日 18:37', whatever the browser's language. */
  dateTime: (year: string, month: number, day: number, time: string) => `${year}年${month}月${day}日 ${time}`,
  loading: '正在加载…',
  signIn: {
    title: '登录',
    subtitle: '惠民惠农财政补贴资金“一卡通”专项治理',
    username: '用户名',
    password: '密码',
    submit: '登录',
    submitting: '正在登录…',
    offline: '当前无网络，首次登录需要联网',
    sessionExpired: '登录已失效，请重新登录。本机已保存的数据不会丢失。',
    wiped: '本设备已被停用（或账号已停用），本机保存的核查数据已清除。如有疑问请联系乡镇督导。',
    deviceHeld: (name: string, username: string, n: number) =>
      `本机还有 ${name}（${username}）的 ${n} 份核查表尚未上传。为免丢失，请由其本人登录并同步后，再换其他账号使用本机。`,
  },
  install: {
    title: '安装到手机桌面',
    why: '安装后可从桌面直接打开，没有信号也能用；苹果手机上只有添加到主屏幕的应用，数据才不会在 7 天不用后被清除。',
    button: '安装',
    iosSteps: ['点 Safari 底部的“分享”按钮（方框带向上箭头）', '向下滑，选“添加到主屏幕”', '点右上角“添加”，以后从桌面图标打开'] as readonly string[],
    later: '以后再说',
  },
  home: {
    greeting: (name: string) => `${name}，您好`,
    area: '工作区域',
    role: '角色',
    tasksTitle: '我的工作',
    review: '审核核查表与设备状态',
    auditLog: '操作日志',
    users: '账号管理',
    ledger: '问题台账（逐一销号）',
    signOut: '退出登录',
    signingOut: '正在退出…',
    online: '在线',
    offline: '离线',
    offlineHint: '当前离线：可继续工作，已填写的内容保存在本机，联网后同步。',
    device: '本机状态',
    storagePersisted: '本机存储：已设为持久保存',
    storageNotPersisted: '本机存储：建议把本应用添加到主屏幕，并在有信号时及时同步，已填写的内容更稳妥',
    storageUsage: (used: string, quota: string) => `已用 ${used} / 可用 ${quota}`,
    version: (v: string) => `版本 ${v}`,
  },
  roles: {
    cadre: '村干部（核查员）',
    inspector: '检查组',
    supervisor: '督导审核',
    admin: '管理员',
  } satisfies Record<Role, string>,
  roleTasks: {
    cadre: ['下载本村花名册到手机', '逐户当面核实，一户一表', '无信号时照常填写，联网后同步'],
    inspector: ['领取抽查村组和农户', '独立填写复核表', '查看与村级核查表的差异'],
    supervisor: ['审核已同步的核查表，必要时退回', '维护问题台账，逐一销号', '查看覆盖进度，导出报表'],
    admin: ['导入补贴对象名册与发放明细', '管理用户与工作区域', '抽取检查样本'],
  } satisfies Record<Role, string[]>,
  update: {
    available: '发现新版本',
    apply: '立即更新',
    later: '稍后',
    blockedByUnsaved: '有未保存的填写内容，保存后再更新',
    offlineReady: '已可离线使用',
  },
  sync: {
    offline: '无法连接服务器，联网后将自动同步',
  },
  errors: {
    network: '无法连接服务器，请检查网络',
    server: (status: number) => `服务器错误（${status}），请稍后再试`,
  },
  rosterImport: {
    homeLink: '导入名册与发放明细',
  },
  areaCard: {
    titleVillage: '本村花名册',
    titleArea: '工作区域花名册',
    notOnDevice: '花名册还没有下载到本机。',
    onDevice: (households: number) => `本机已有 ${households} 户`,
    interrupted: '上次下载没有完成，联网后会接着下载。',
    lastDownloaded: (when: string) => `最近下载：${when}`,
    download: '下载花名册',
    update: '更新花名册',
    downloading: '正在下载花名册…',
    progressLabel: '花名册下载进度',
    progressText: (received: number, expected: number | null) => (expected === null ? `已接收 ${received} 条` : `已接收 ${received} / ${expected} 条`),
    needsNetwork: '下载需要联网',
    households: '入户核查',
    sync: '同步',
    syncCounts: (pending: number, attention: number) => (attention > 0 ? `待上传 ${pending} · 需处理 ${attention}` : `待上传 ${pending}`),
  },
};

export type Messages = typeof zhCN;
