/** The public tip-off page (举报线索): no sign-in, for any citizen (lazy chunk). */
export const tipText = {
  title: '惠民惠农财政补贴资金“一卡通”问题线索举报',
  letter: [
    '为切实维护群众利益，现开展惠民惠农财政补贴资金“一卡通”专项治理。欢迎广大群众对以下问题进行举报：补贴资金不及时、不足额发放；虚报冒领、优亲厚友；扣押、代管群众“一卡通”；截留挪用、贪占补贴资金；银行违规收费等。',
    '您可以匿名举报，也可以留下联系方式以便核实情况。我们将对举报人信息严格保密。',
  ],
  /** As the 随州 open letter publishes them. */
  phones: '也可拨打举报电话（工作日 8:30—12:00，14:30—17:30）：随县 0722-3338705；随州市 0722-3596992',
  kind: '问题类型',
  area: '发生地点（乡镇、村）',
  township: '乡镇',
  village: '村（社区）',
  chooseTownship: '请选择乡镇',
  chooseVillage: '不确定是哪个村可不选',
  place: '具体位置（组、门牌，可不填）',
  description: '问题情况（请写明时间、人员、金额等）',
  contactName: '您的姓名（可不填）',
  contactPhone: '联系电话（可不填）',
  anonymousHint: '不填姓名和电话即为匿名举报',
  submit: '提交举报',
  submitting: '正在提交…',
  done: (n: number) => `举报已收到，编号 ${n}。如需补充情况，拨打举报电话时请告知此编号。`,
  another: '再提交一条',
  failed: (msg: string) => `提交失败：${msg}`,
  signIn: '工作人员登录',
};
