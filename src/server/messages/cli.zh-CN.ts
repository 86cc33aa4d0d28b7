/** What the administration commands print (zh-CN): `npm run cli -- …` and the start-up banner's product name. */

export const cliText = {
  product: '一卡通入户核查',
  usage: ['用法：npm run cli -- <命令> [选项]', '', '命令：'],
  usageFooter: ['', '每个命令的选项：npm run cli -- <命令> --help'],
  unknownCommand: (name: string) => `未知命令：${name}`,
  commands: {
    import: '导入名册与发放明细（CSV / XLSX）',
    users: '创建账号（如部署后的第一个管理员）',
  },
  users: {
    help: `用法：npm run cli -- users add --username <用户名> --name <姓名> --role <角色> --area <区划代码> [选项]

角色：cadre（村干部，区划为村）、inspector（检查组，乡镇或村）、supervisor（督导审核）、admin（管理员）。
不给 --password 时生成一个临时密码并显示，该账号首次登录时须修改密码。

选项：
  --phone <电话>          联系电话
  --password <密码>       指定密码（至少 8 位，含字母和数字）
  --database-url <url>   PostgreSQL 连接串（默认读取 DATABASE_URL；都没有则用 PGlite）
  --data-dir <dir>       PGlite 数据目录（默认读取 DATA_DIR，否则 ./data）
  -h, --help             显示本说明`,
    invalid: (field: string, message: string) => `参数 ${field}：${message}`,
    roles: (roles: string) => `角色应为 ${roles} 之一`,
    created: (username: string, name: string, role: string, area: string) => `已创建账号 ${username}（${name}，${role}，${area}）`,
    temporary: (password: string) => `临时密码：${password}\n请当面或经可靠渠道交给本人；首次登录时须修改。`,
    refused: (reason: string) => `未创建：${reason}`,
  },
  import: {
    help: `用法：npm run cli -- import <文件...> [选项]

导入区划、补贴项目、户、人员、账户、发放明细（CSV 或 XLSX；列名见 README“Importing the roster”）。
多个文件按依赖顺序导入（区划 → 补贴项目 → 户 → 人员 → 账户 → 发放明细），每个文件一个事务。

选项：
  --database-url <url>   PostgreSQL 连接串（默认读取 DATABASE_URL；都没有则用 PGlite）
  --data-dir <dir>       PGlite 数据目录（默认读取 DATA_DIR，否则 ./data）
  --area <区划代码>       只允许导入该区域内的行（如 421321）；默认不限
  --report <file.csv>    把完整的问题报告写入 CSV 文件（UTF-8 带 BOM，可用 Excel 打开）
  --max-size <MB>        单个文件大小上限，默认 1024 MB
  --show <n>             在屏幕上列出前 n 条问题，默认 50
  -h, --help             显示本说明`,
    workbook: '工作簿',
    progress: (file: string, rows: string, rate: string, pct: number, secs: string) => `${file}：${rows} 行，${rate} 行/秒，已读 ${pct}%，${secs} 秒`,
    succeeded: '完成',
    failed: '失败（未改动任何数据）',
    outcome: (file: string, kind: string, head: string) => `\n== ${file}（${kind}）：${head}`,
    reason: (reason: string) => `   原因：${reason}`,
    sheet: (name: string) => `工作表“${name}”`,
    part: (where: string, kind: string, n: { rows: string; inserted: string; updated: string; unchanged: string; errors: string; warnings: string }) =>
      `   ${where}${kind}：读取 ${n.rows} 行；新增 ${n.inserted}，更新 ${n.updated}，未变 ${n.unchanged}；错误 ${n.errors} 行（已跳过），警告 ${n.warnings} 行（已导入）`,
    total: (ok: string, warning: string, error: string, id: string) => `   合计：正常 ${ok} 行，警告 ${warning} 行，错误 ${error} 行；导入记录 ${id}`,
    row: (row: number) => `第 ${row} 行`,
    column: (column: string) => `“${column}”列`,
    value: (value: string) => `（值：${value}）`,
    error: '错误',
    warning: '警告',
    problem: (severity: string, where: string, reason: string, value: string) => `   [${severity}] ${where}${where ? '：' : ''}${reason}${value}`,
    more: (n: string) => `   …… 另有 ${n} 条问题，完整列表用 --report 导出`,
    noFiles: '请给出要导入的文件',
    missingFile: (path: string) => `找不到文件：${path}`,
    badArea: (area: string) => `--area ${area} 不是有效的区划代码或前缀（如 421321 或 421321000000）`,
    badMaxSize: '--max-size 应为正数（MB）',
    database: (where: string) => `数据库：${where}`,
    pglite: (dir: string) => `PGlite（${dir}）`,
    reportWritten: (path: string, n: string) => `\n问题报告已写入 ${path}（${n} 条）`,
  },
} as const;
