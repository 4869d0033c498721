// The edit flows of the ClearML web UI, driven by clicks; each action is checked by reading the server's state back.
// Used by walk.mjs: runFlows(ui) with ui = { page, api, base, act, answers }.
const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

export async function runFlows({ page, api, base, act, answers }) {
  const clickText = async (selector, text) => {
    await page.waitForFunction((s, t) => [...document.querySelectorAll(s)].some(e => e.innerText.trim() === t), { timeout: 15000 }, selector, text);
    const handles = await page.$$(selector);
    for (const handle of handles) {
      if ((await handle.evaluate(e => e.innerText.trim())) === text) return handle.click();
    }
  };
  const menu = async dataId => {
    const item = `.cdk-overlay-container [data-id="${dataId}"]:not([disabled])`;
    await page.waitForSelector(item, { visible: true, timeout: 10000 });
    await sleep(300);  // the menu's opening animation
    await page.click(item);
  };
  const cardMenu = async (project, item) => {
    await page.waitForFunction(name => [...document.querySelectorAll('sm-project-card')].some(c => c.innerText.includes(name)), { timeout: 15000 }, project);
    for (const card of await page.$$('sm-project-card')) {
      if ((await card.evaluate(e => e.innerText)).includes(project)) {
        await card.hover();
        await (await card.$('sm-menu button')).click();
        break;
      }
    }
    await menu(item);
  };
  const rowMenu = async (name, item) => {
    const row = 'tr.p-selectable-row';
    const matches = (text, n) => text.split('\n').map(s => s.trim()).includes(n);
    await page.waitForFunction((s, n) => [...document.querySelectorAll(s)].some(r => r.innerText.split('\n').map(x => x.trim()).includes(n)),
      { timeout: 15000 }, row, name);
    for (const handle of await page.$$(row)) {
      if (matches(await handle.evaluate(e => e.innerText), name)) {
        await handle.click({ button: 'right' });
        break;
      }
    }
    await menu(item);
  };
  const dialog = async () => page.waitForSelector('mat-dialog-container', { visible: true, timeout: 10000 });
  const confirm = async button => {
    await dialog();
    await clickText('mat-dialog-container button', button);
  };
  const typeInto = async (selector, text) => {
    const input = await page.waitForSelector(selector, { visible: true });
    await sleep(500);  // the dialog's opening animation
    await input.click({ clickCount: 3 });
    await page.keyboard.press('Backspace');
    await input.type(text);
  };
  const pickOption = async text => {
    await clickText('.cdk-overlay-container mat-option', text);
    await sleep(300);
  };
  // Polls the server until check(answer) holds.
  const until = async (endpoint, body, check, what) => {
    for (let i = 0; i < 20; i++) {
      if (check(await api(endpoint, body))) return;
      await sleep(500);
    }
    throw new Error(`server state: ${what}`);
  };
  const goto = async path => page.goto(base + path, { waitUntil: 'networkidle2', timeout: 60000 });
  const project = async name => (await api('projects.get_all_ex', { name: `^${name}$`, search_hidden: true })).projects[0];
  const task = async name => (await api('tasks.get_all_ex', { name: `^${name}$`, only_fields: ['status', 'tags', 'system_tags', 'hyperparams', 'configuration', 'models'] })).tasks[0];

  const demo = await project('UI Demo');

  // Projects: create, rename, move into UI Demo, delete.
  await act('project-create', async () => {
    await goto('/projects');
    await page.click('button[data-id="New Project"]');
    await dialog();
    // "Create in" fills in once the project list has loaded; the name is created under it.
    await page.waitForFunction(() => document.querySelector('mat-dialog-container sm-paginated-entity-selector[formcontrolname=parent] input')?.value === 'Projects root',
      { timeout: 15000 });
    await page.type('mat-dialog-container input[formcontrolname=name]', 'UI Flow Project');
    await page.click('mat-dialog-container button[data-id="Create Project"]');
    await until('projects.get_all_ex', { name: '^UI Flow Project$' }, d => d.projects.length === 1, 'project created');
  });
  await act('project-rename', async () => {
    await cardMenu('UI Flow Project', 'Edit');
    await typeInto('mat-dialog-container input[formcontrolname=name]', 'UI Renamed Project');
    await page.click('mat-dialog-container button[data-id="Save"]');
    await until('projects.get_all_ex', { name: '^UI Renamed Project$' }, d => d.projects.length === 1, 'project renamed');
  });
  await act('project-move', async () => {
    await cardMenu('UI Renamed Project', 'Move To');
    await dialog();
    await page.click('mat-dialog-container input');
    await pickOption('UI Demo');
    await page.click('mat-dialog-container button[data-id="MoveButton"]');
    await until('projects.get_all_ex', { name: '^UI Demo/UI Renamed Project$' }, d => d.projects.length === 1, 'project moved under UI Demo');
  });
  await act('project-delete', async () => {
    await goto(`/projects/${demo.id}/projects`);
    await cardMenu('UI Renamed Project', 'Delete');
    await dialog();
    await page.click('mat-dialog-container button[data-id="DeleteButton"]');
    await until('projects.get_all_ex', { name: 'UI Renamed Project' }, d => d.projects.length === 0, 'project deleted');
    await page.waitForFunction(() => ![...document.querySelectorAll('sm-project-card')].some(c => c.innerText.includes('UI Renamed Project')), { timeout: 15000 });
  });

  // Tasks: clone, edit hyper-parameters and configuration, enqueue, abort, reset; publish another.
  const table = `/projects/${demo.id}/tasks`;
  await act('task-clone', async () => {
    await goto(table);
    await rowMenu('train resnet', 'Clone Option');
    await typeInto('mat-dialog-container input[name=ExperimentName]', 'ui-clone');
    await page.click('mat-dialog-container button[data-id="CloneButton"]');
    await until('tasks.get_all_ex', { name: '^ui-clone$', only_fields: ['status'] }, d => d.tasks[0]?.status === 'created', 'a draft clone');
    await page.waitForFunction(() => /\/tasks\/[0-9a-f]{32}\//.test(location.pathname), { timeout: 15000 });
  });
  const clone = (await task('ui-clone'))?.id;
  const cloned = `/projects/${demo.id}/tasks/${clone}`;
  await act('task-edit-hyperparameters', async () => {
    await goto(`${cloned}/hyper-params/hyper-param/Args`);
    await page.click('#editSection');
    await page.waitForSelector('input[placeholder=Value]', { visible: true });
    for (const input of await page.$$('input[placeholder=Value]')) {
      if ((await input.evaluate(e => e.value)) === '0.01') {
        await input.click({ clickCount: 3 });
        await page.keyboard.press('Backspace');
        await input.type('0.05');
      }
    }
    await page.click('[data-id="SaveButton"]');
    await until('tasks.get_all_ex', { id: [clone], only_fields: ['hyperparams'] }, d => d.tasks[0].hyperparams.Args.lr.value === '0.05', 'lr = 0.05');
  });
  await act('task-edit-configuration', async () => {
    await goto(`${cloned}/hyper-params/configuration/model%20config`);
    await page.waitForFunction(() => [...document.querySelectorAll('button[extra-buttons]')].some(b => b.innerText.trim() === 'EDIT'), { timeout: 15000 });
    await page.evaluate(() => [...document.querySelectorAll('button[extra-buttons]')].find(b => b.innerText.trim() === 'EDIT').click());  // shown on hover
    await dialog();
    await page.click('mat-dialog-container .ace_content');
    await page.keyboard.down('Control');
    await page.keyboard.press('End');
    await page.keyboard.up('Control');
    await page.keyboard.press('Enter');
    await page.keyboard.type('dropout = 0.2');
    await clickText('mat-dialog-container button', 'OK');
    await until('tasks.get_all_ex', { id: [clone], only_fields: ['configuration'] },
      d => d.tasks[0].configuration['model config'].value.includes('dropout = 0.2'), 'configuration edited');
  });
  const taskMenu = async item => {
    await page.click('sm-experiment-info-header button[data-id="menuIcon"], button[data-id="menuIcon"]');
    await menu(item);
  };
  const status = (wanted, what) => until('tasks.get_all_ex', { id: [clone], only_fields: ['status'] }, d => d.tasks[0].status === wanted, what);
  await act('task-enqueue', async () => {
    await taskMenu('Enqueue Option');
    await dialog();
    await page.click('mat-dialog-container button[data-id="EnqueueButton"]');
    await status('queued', 'queued');
  });
  await act('task-abort', async () => {
    await taskMenu('Abort Option');
    await confirm('ABORT');
    await status('stopped', 'stopped');
  });
  await act('task-reset', async () => {
    await taskMenu('Reset Option');
    await dialog();
    await page.click('mat-dialog-container button[data-id="DeleteButton"]');
    await status('created', 'draft again');
  });
  await act('task-publish', async () => {
    await goto(table);
    await rowMenu('train resnet v2', 'Publish Option');
    await confirm('PUBLISH');
    await until('tasks.get_all_ex', { name: '^train resnet v2$', only_fields: ['status'] }, d => d.tasks[0].status === 'published', 'published');
    const published = await task('train resnet v2');
    await until('models.get_all_ex', { project: [demo.id], only_fields: ['ready', 'task'] },
      d => d.models.some(m => (m.task?.id ?? m.task) === published.id && m.ready), 'its model published too');
  });

  // Tags, archive and restore.
  await act('tag-add', async () => {
    await goto(table);
    await rowMenu('train resnet', 'Add Tag Option');
    await page.type('.cdk-overlay-container input[placeholder="Add Tag"]', 'ui-flow-tag');
    await clickText('.cdk-overlay-container button.item', '"ui-flow-tag" (Create New)');
    await until('tasks.get_all_ex', { name: '^train resnet$', only_fields: ['tags'] }, d => d.tasks[0].tags.includes('ui-flow-tag'), 'tag added');
  });
  await act('tag-remove', async () => {
    const tagged = await task('train resnet');
    await goto(`/projects/${demo.id}/tasks/${tagged.id}/execution`);
    const cross = 'sm-experiment-info-header sm-user-tag [data-id="TagCrossButton"]';
    await page.waitForSelector(cross, { timeout: 15000 });
    await page.hover('sm-experiment-info-header sm-user-tag');
    await page.click(cross);
    await until('tasks.get_all_ex', { name: '^train resnet$', only_fields: ['tags'] }, d => !d.tasks[0].tags.includes('ui-flow-tag'), 'tag removed');
  });
  // Archive and restore from the task's own menu (a table's menu acts on every selected row).
  const archived = d => (d.tasks[0].system_tags ?? []).includes('archived');
  const resnet = await task('train resnet');
  await act('task-archive', async () => {
    await goto(`/projects/${demo.id}/tasks/${resnet.id}/execution`);
    await taskMenu('Archive Option');
    await until('tasks.get_all_ex', { id: [resnet.id], only_fields: ['system_tags'] }, archived, 'archived');
  });
  await act('task-restore', async () => {
    await goto(`/projects/${demo.id}/tasks/${resnet.id}/execution?archive=true`);
    await taskMenu('Archive Option');  // in the archive it reads "Restore from Archive"
    await until('tasks.get_all_ex', { id: [resnet.id], only_fields: ['system_tags'] }, d => !archived(d), 'restored');
  });

  // Models: publish the draft one from its page's menu.
  await act('model-publish', async () => {
    const draft = (await api('models.get_all_ex', { project: [demo.id], ready: false, only_fields: ['name'] })).models[0];
    await goto(`/projects/${demo.id}/models/${draft.id}/general`);
    const menuButton = 'sm-model-menu-extended button, sm-model-menu button';
    await page.waitForSelector(menuButton, { visible: true, timeout: 15000 });
    await page.click(menuButton);
    await menu('publishOption');
    await confirm('PUBLISH');
    await until('models.get_all_ex', { id: [draft.id], only_fields: ['ready'] }, d => d.models[0].ready === true, 'model published');
  });

  // Settings: new workspace credentials that sign in.
  await act('credentials-create', async () => {
    await goto('/settings/workspace-configuration');
    const before = (await api('auth.get_credentials', {})).credentials.length;
    await clickText('button', 'Create new credentials');
    await dialog();
    const keys = await page.evaluate(() => document.querySelector('mat-dialog-container').innerText.match(/[0-9A-Za-z]{20,}/g));
    await until('auth.get_credentials', {}, d => d.credentials.length === before + 1, 'one more key pair');
    const login = await fetch(`${base}/api/v999.0/auth.login`, { method: 'POST', headers: { authorization: 'Basic ' + btoa(`${keys[0]}:${keys[1]}`) } });
    if (!login.ok) throw new Error(`the new credentials do not sign in (${login.status})`);
    await page.keyboard.press('Escape');
  });

  // Reports: create in UI Demo, write, publish.
  await act('report-create', async () => {
    await goto('/reports');
    await clickText('button', 'NEW REPORT');
    await dialog();
    await page.type('mat-dialog-container input[formcontrolname=name]', 'ui report');
    const projectInput = (await page.$$('mat-dialog-container input'))[1];
    await projectInput.click({ clickCount: 3 });
    await page.keyboard.press('Backspace');
    await projectInput.type('UI Demo');
    await pickOption('UI Demo');
    await page.click('mat-dialog-container button[data-id="Create Report"]');
    await until('reports.get_all_ex', { name: '^ui report$', only_fields: ['project.name'] }, d => d.tasks.length === 1, 'report created');
  });
  await act('report-edit', async () => {
    await clickText('button', 'START EDITING THE REPORT');
    await page.waitForSelector('.ace_content', { visible: true });
    await page.click('.ace_content');
    await page.keyboard.type('# Results\n\nThe v2 run reached 0.95 accuracy.');
    await clickText('button', 'SAVE');
    await until('reports.get_all_ex', { name: '^ui report$', only_fields: ['report'] }, d => d.tasks[0].report?.includes('0.95 accuracy'), 'report saved');
  });
  await act('report-publish', async () => {
    await clickText('button', 'PUBLISH');
    await confirm('PUBLISH');
    await until('reports.get_all_ex', { name: '^ui report$', only_fields: ['status'] }, d => d.tasks[0].status === 'published', 'report published');
  });

  // Pages with real data: pipelines, datasets, worker and queue charts.
  const shows = async (path, text) => {
    await goto(path);
    await page.waitForFunction(t => document.body.innerText.includes(t), { timeout: 15000 }, text);
  };
  await act('pipelines-page', async () => {
    await shows('/pipelines', 'ui pipeline');
    const card = (await api('projects.get_all_ex', { name: '/\\.pipelines/', search_hidden: true, include_stats: true,
      include_stats_filter: { system_tags: ['pipeline'], type: ['controller'] } })).projects[0];
    if (card.stats.active.status_count.completed !== 1) throw new Error('the pipeline card counts its steps as runs');
  });
  await act('pipeline-runs', async () => {
    const controller = (await api('tasks.get_all_ex', { name: '^ui pipeline$', search_hidden: true, only_fields: ['project'] })).tasks[0];
    await shows(`/pipelines/${controller.project.id}/tasks`, 'Completed');
  });
  await act('datasets-page', async () => shows('/datasets', 'ui pets'));
  await act('dataset-versions', async () => {
    const dataset = (await api('tasks.get_all_ex', { name: '^ui pets$', search_hidden: true, only_fields: ['project'] })).tasks[0];
    await shows(`/datasets/simple/${dataset.project.id}/tasks`, '1.0.0');
  });
  await act('workers-charts', async () => {
    await shows('/workers-and-queues/workers', 'ui-agent:gpu0');
    await clickText('tr.p-selectable-row td, tbody tr td', 'ui-agent:gpu0');
    await page.waitForFunction(() => document.body.innerText.includes('CPU and GPU Usage'), { timeout: 15000 });
    await sleep(2000);
    const stats = answers.get('workers.get_stats');
    const values = stats?.workers?.flatMap(w => w.metrics.flatMap(m => m.stats.flatMap(s => s.values))) ?? [];
    if (!values.some(v => v > 0)) throw new Error('workers.get_stats charted no machine stats');
    const activity = answers.get('workers.get_activity_report');
    if (!activity?.total?.counts?.some(c => c > 0)) throw new Error('no worker activity charted');
  });
  await act('queues-charts', async () => {
    await shows('/workers-and-queues/queues', 'default');
    await clickText('tr.p-selectable-row td, tbody tr td', 'default');
    await sleep(2500);
    const metrics = answers.get('queues.get_queue_metrics');
    if (!metrics?.queues?.some(q => q.dates.length > 0)) throw new Error('queues.get_queue_metrics charted nothing');
  });
}
