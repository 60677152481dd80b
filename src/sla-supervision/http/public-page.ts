import { PublicFigures, PublicRow } from '../../sla/domain/publication';

/**
 * Issue 14: the public supervision page, server-rendered HTML with plain inline SVG charts (no script, no
 * build step), in Chinese and English, readable on a phone. Every figure carries a `data-figure` attribute
 * naming it, so a browser test can read the page and compare it with the JSON.
 */
export interface PublishedMonth {
  revision: number;
  at: string;
  reason: string | null;
  figures: PublicFigures;
  revisions: { revision: number; at: string; reason: string | null }[];
}

const esc = (s: unknown) =>
  String(s).replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
const minutes = (seconds: number | null) => (seconds === null ? '—' : (seconds / 60).toFixed(1));
const ACTIONS: Record<string, string> = {
  warning: '警告 warning',
  training: '培训 training',
  suspension: '停岗 suspension',
  improvement_report: '改进报告 improvement report',
  notice_of_criticism: '通报批评 notice of criticism',
};
const REMEDIES: Record<string, string> = { apology: '道歉 apology', coupon: '折扣券 coupon', service_upgrade: '服务升级 service upgrade' };

/** Horizontal bars, one per row: median and p90 first response in minutes. */
function chart(rows: PublicRow[], title: string): string {
  const max = Math.max(1, ...rows.map((r) => r.p90FirstResponseSeconds ?? 0));
  const barH = 14;
  const rowH = 40;
  const labelW = 110;
  const width = 340;
  const scale = (s: number | null) => Math.round(((s ?? 0) / max) * (width - labelW - 10));
  const bars = rows
    .map((r, i) => {
      const y = i * rowH + 6;
      return (
        `<text x="0" y="${y + barH}" font-size="12">${esc(r.key)}</text>` +
        `<rect x="${labelW}" y="${y}" width="${scale(r.medianFirstResponseSeconds)}" height="${barH}" fill="#2f6fb3"><title>median ${minutes(r.medianFirstResponseSeconds)} min</title></rect>` +
        `<rect x="${labelW}" y="${y + barH + 2}" width="${scale(r.p90FirstResponseSeconds)}" height="${barH}" fill="#e39b2b"><title>p90 ${minutes(r.p90FirstResponseSeconds)} min</title></rect>`
      );
    })
    .join('');
  return (
    `<svg role="img" aria-label="${esc(title)}" viewBox="0 0 ${width} ${Math.max(1, rows.length) * rowH + 8}" width="100%" ` +
    `xmlns="http://www.w3.org/2000/svg">${bars}</svg>` +
    `<p class="legend"><span class="m"></span> 中位数 median <span class="p"></span> P90 (分钟 minutes)</p>`
  );
}

function table(rows: PublicRow[], kind: 'department' | 'agent'): string {
  const head =
    `<tr><th>${kind === 'department' ? '部门 Department' : '客服 Agent'}</th><th>首次响应中位数 Median first response (min)</th>` +
    `<th>P90 (min)</th><th>违约 Breaches detected</th><th>确认 Confirmed</th><th>豁免 Exempted</th><th>扣分 Points</th>` +
    `<th>处罚 Penalties</th><th>客户补偿 Customer remedies</th></tr>`;
  const body = rows
    .map((r) => {
      const f = (name: string, value: unknown) => `<td data-figure="${kind}:${esc(r.key)}:${name}">${esc(value)}</td>`;
      const actions = Object.entries(r.actions)
        .map(([a, n]) => `${ACTIONS[a] ?? a} × ${n}`)
        .join('; ');
      return (
        `<tr><th scope="row">${esc(r.key)}</th>` +
        f('medianFirstResponseSeconds', minutes(r.medianFirstResponseSeconds)) +
        f('p90FirstResponseSeconds', minutes(r.p90FirstResponseSeconds)) +
        f('detected', r.detected) +
        f('confirmed', r.confirmed) +
        f('exempted', r.exempted) +
        f('points', r.points) +
        f('actions', actions || '—') +
        f('remedies', r.remedies) +
        `</tr>`
      );
    })
    .join('');
  return `<div class="scroll"><table>${head}${body}</table></div>`;
}

export function renderPublicPage(page: PublishedMonth): string {
  const f = page.figures;
  const c = f.customerCompensation;
  const remedies = Object.entries(c.byType)
    .map(([t, n]) => `<li>${REMEDIES[t] ?? esc(t)}: <b data-figure="remedies:${esc(t)}">${n}</b></li>`)
    .join('');
  const revisions = page.revisions
    .map((r) => `<li>修订 Revision ${r.revision} · ${esc(r.at)}${r.reason ? ` · ${esc(r.reason)}` : ''}</li>`)
    .join('');
  return `<!doctype html>
<html lang="zh-CN">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>售后服务响应时间监督 After-sales response-time supervision · ${esc(f.month)}</title>
<style>
body{font-family:system-ui,-apple-system,"PingFang SC","Noto Sans CJK SC",sans-serif;margin:0 auto;max-width:960px;padding:12px;color:#1d1d1f;line-height:1.45}
h1{font-size:1.3rem}h2{font-size:1.1rem;margin-top:1.6em}
.scroll{overflow-x:auto}table{border-collapse:collapse;width:100%;font-size:.9rem}
th,td{border-bottom:1px solid #ddd;padding:6px;text-align:left;vertical-align:top}
.legend span{display:inline-block;width:10px;height:10px;margin:0 4px}.legend .m{background:#2f6fb3}.legend .p{background:#e39b2b}
.note{color:#555;font-size:.85rem}
</style>
</head>
<body>
<h1>售后服务响应时间监督平台<br><small>After-sales response-time supervision</small></h1>
<p><b data-figure="month">${esc(f.month)}</b> · ${esc(f.timeZone)} · 修订 revision <b data-figure="revision">${page.revision}</b> · 发布 published ${esc(page.at)}</p>
<p class="note">每月公布各部门、各客服的响应时间、违约、处罚与客户补偿，接受客户和社会监督。客服以固定化名显示；不含任何客户信息。<br>
Every month we publish each department's and each agent's response times, breaches, the penalties taken and what customers were given. Agents appear under a stable alias; no customer data is shown.</p>
<h2>部门 Departments</h2>
${chart(f.departments, 'first response by department')}
${table(f.departments, 'department')}
<h2>客服 Agents</h2>
${chart(f.agents, 'first response by agent')}
${table(f.agents, 'agent')}
<h2>客户补偿 Compensation to customers</h2>
<ul>
<li>已发放且有效 Issued and standing: <b data-figure="remedies:issued">${c.issued}</b></li>
${remedies}
<li>豁免后撤销 Revoked after exemption: <b data-figure="remedies:revoked">${c.revoked}</b></li>
<li>折扣券价值 Coupon value: <b data-figure="remedies:couponValue">${(c.couponValue.amount / 100).toFixed(2)}</b> ${esc(c.couponValue.currency)}</li>
<li>道歉 Apologies sent / owed: <b data-figure="apologies:sent">${c.apologies.sent}</b> / <b data-figure="apologies:owed">${c.apologies.owed}</b></li>
</ul>
<h2>修订记录 Revisions</h2>
<ul>${revisions}</ul>
</body>
</html>`;
}
