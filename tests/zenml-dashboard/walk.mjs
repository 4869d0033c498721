// Signs in to ZenML's dashboard (served by this server under /zenml/) and opens every page of its router with the
// seeded data; fails on any /api/v1 answer that is not 2xx, any page error, or a page that renders empty.
// Usage: node walk.mjs <base url> <user> <password> <screenshot dir>       (PUPPETEER_DIR: where puppeteer-core is)
import { createRequire } from 'node:module';
import { submitForms } from './forms.mjs';
const require = createRequire(process.env.PUPPETEER_DIR ? process.env.PUPPETEER_DIR + '/' : import.meta.url);
const puppeteer = require('puppeteer-core');
const [base, user, password, shots] = process.argv.slice(2);
const ui = `${base}/zenml`;

const browser = await puppeteer.launch({ executablePath: process.env.CHROMIUM || '/usr/bin/chromium', args: ['--no-sandbox'] });
const page = await browser.newPage();
await page.setViewport({ width: 1400, height: 900 });
const failures = [];
const calls = new Set();
let current = 'sign-in';
page.on('response', response => {
  const url = new URL(response.url());
  if (!url.pathname.startsWith('/api/v1/')) return;
  const call = `${response.request().method()} ${url.pathname.replace(/[0-9a-f]{8}-[0-9a-f-]{27}/g, '{id}')}`;
  calls.add(call);
  if (response.status() < 200 || response.status() > 299) failures.push(`${current}: ${call}${url.search} answered ${response.status()}`);
});
page.on('pageerror', error => failures.push(`${current}: page error: ${error.message.split('\n')[0]}`));

await page.goto(`${ui}/login`, { waitUntil: 'networkidle2' });
await page.waitForSelector('input[name=username]', { timeout: 30000 });
await page.type('input[name=username]', user);
await page.type('input[name=password]', password);
await Promise.all([page.waitForNavigation({ waitUntil: 'networkidle2' }).catch(() => {}), page.keyboard.press('Enter')]);
await new Promise(resolve => setTimeout(resolve, 1500));
if (new URL(page.url()).pathname.endsWith('/login')) failures.push('sign-in: still on the login page');

// The dashboard's own session (its cookie) reads the ids the detail pages need.
const api = path => page.evaluate(async p => {
  const response = await fetch(`/api/v1${p}`, { credentials: 'include' });
  return response.ok ? response.json() : {};
}, path);
const first = async (path, predicate = () => true) => ((await api(path)).items ?? []).find(predicate);
const run = await first('/runs?sort_by=desc:created&size=50', r => r.body?.pipeline_id);
const clearMlRun = await first('/runs?sort_by=desc:created&size=50', r => !r.body?.pipeline_id);
const pipeline = await first('/pipelines');
const stack = await first('/stacks');
const component = await first('/components');
const secret = await first('/secrets');
const connector = await first('/service_connectors');
const account = await first('/service_accounts');
const snapshot = await first('/pipeline_snapshots?named_only=true');
const deployment = await first('/deployments');

// Each page of the router and a text it must show once rendered (null: only that something rendered).
const pages = [
  ['overview', '/', null],
  ['projects', '/projects', 'default'],
  ['pipelines', '/projects/default/pipelines', pipeline?.name],
  ['pipeline-runs', `/projects/default/pipelines/${pipeline?.id}/runs`, run?.name],
  ['pipeline-snapshots', `/projects/default/pipelines/${pipeline?.id}/snapshots`, null],
  ['pipeline-deployments', `/projects/default/pipelines/${pipeline?.id}/deployments`, null],
  ['runs', '/projects/default/runs', run?.name],
  ['run', `/projects/default/runs/${run?.id}`, run?.name],
  ['run-logs', `/projects/default/runs/${run?.id}/logs`, null],
  ['clearml-run', `/projects/default/runs/${clearMlRun?.id}`, clearMlRun?.name],
  ['snapshots', '/projects/default/snapshots', null],
  ['snapshot', snapshot && `/projects/default/snapshots/${snapshot.id}`, snapshot?.name],
  ['snapshot-runs', snapshot && `/projects/default/snapshots/${snapshot.id}/runs`, null],
  ['deployments', '/projects/default/deployments', null],
  ['deployment', deployment && `/projects/default/deployments/${deployment.id}`, null],
  ['models', '/projects/default/models', null],
  ['artifacts', '/projects/default/artifacts', null],
  ['triggers', '/projects/default/triggers', null],
  ['repositories', '/projects/default/settings/repositories', null],
  ['project-profile', '/projects/default/settings/profile', null],
  ['stacks', '/stacks', stack?.name],
  ['stack-edit', `/stacks/${stack?.id}/edit`, stack?.name],
  ['stack-create', '/stacks/create', null],
  ['stack-create-manual', '/stacks/create/manual', null],
  ['components', '/components', component?.name],
  ['component', `/components/${component?.id}`, component?.name],
  ['component-edit', `/components/${component?.id}/edit`, component?.name],
  ['component-create', '/components/create', null],
  ['settings-general', '/settings/general', null],
  ['settings-members', '/settings/members', user],
  ['settings-profile', '/settings/profile', user],
  ['settings-notifications', '/settings/notifications', null],
  ['settings-api-tokens', '/settings/api-tokens', null],
  ['settings-mcp', '/settings/mcp', null],
  ['secrets', '/settings/secrets', secret?.name],
  ['secret', `/settings/secrets/${secret?.id}`, secret?.name],
  ['service-accounts', '/settings/service-accounts', account?.name],
  ['service-account', account && `/settings/service-accounts/${account.id}`, account?.name],
  ['connectors', '/settings/connectors', connector?.name],
  ['connector-configuration', `/settings/connectors/${connector?.id}/configuration`, null],
  ['connector-components', `/settings/connectors/${connector?.id}/components`, null],
  ['connector-resources', `/settings/connectors/${connector?.id}/resources`, null],
  ['connector-create', '/settings/connectors/create', null],
  ['onboarding', '/onboarding', null],
];
for (const [name, path, expected] of pages) {
  current = name;
  if (!path) { failures.push(`${name}: no seeded entity to open`); continue; }
  await page.goto(ui + path, { waitUntil: 'networkidle2', timeout: 60000 }).catch(e => failures.push(`${name}: ${e.message}`));
  await new Promise(resolve => setTimeout(resolve, 500));
  const shown = await page.waitForFunction(text => document.body.innerText.trim().length > 0 && (!text || document.body.innerText.includes(text)),
    { timeout: 15000 }, expected ?? '').then(() => true, () => false);
  if (!shown) failures.push(`${name}: ${expected ? `"${expected}" not shown` : 'empty page'}`);
  const landed = new URL(page.url()).pathname;
  if (!landed.startsWith('/zenml/') || landed.startsWith('/zenml/zenml')) failures.push(`${name}: landed on ${landed}`);
  const text = await page.evaluate(() => document.body.innerText);
  for (const broken of ['Something went wrong', 'Invalid Date', 'Failed to load', '404']) {
    if (text.includes(broken)) failures.push(`${name}: shows "${broken}"`);
  }
  await page.screenshot({ path: `${shots}/${name}.png` });
  console.log(`${shown ? 'ok  ' : 'FAIL'} ${name}`);
}
current = 'forms';
const formResults = await submitForms(page, ui, shots, { stack, component });
for (const line of formResults) {
  console.log(line);
  if (line.startsWith('FAIL')) failures.push(`forms: ${line.slice(5)}`);
}
await browser.close();
console.log(`API calls made: ${calls.size}\n  ${[...calls].sort().join('\n  ')}`);
if (failures.length) {
  console.log(`FAILED:\n  ${failures.join('\n  ')}`);
  process.exit(1);
}
console.log('every page rendered, every /api/v1 call 2xx, no page error');
