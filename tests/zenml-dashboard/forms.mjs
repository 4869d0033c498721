// The dashboard's create and edit forms, filled in and submitted as a user would: each must send its call and get a 2xx.
// Returns one line per form ("ok  <form>" or "FAIL <form>: why").

const pause = ms => new Promise(resolve => setTimeout(resolve, ms));

// Clicks the first enabled element matching `selector` whose text contains `text` (waiting for it to be enabled).
async function clickText(page, selector, text) {
  const handle = await page.waitForFunction((s, t) => [...document.querySelectorAll(s)].find(e => e.innerText.includes(t) && !e.disabled),
    { timeout: 15000 }, selector, text);
  await handle.asElement().click();
}

async function type(page, selector, text) {
  await page.waitForSelector(selector, { timeout: 15000 });
  await page.click(selector, { clickCount: 3 });
  await page.type(selector, text);
}

// Runs `steps`, then waits for the form's call (`method` on a path matching `path`) and reports its status; the page
// it leaves is kept as form-<name>.png.
async function submit(page, shots, name, method, path, steps) {
  const answered = page.waitForResponse(r => r.request().method() === method && path.test(new URL(r.url()).pathname), { timeout: 20000 });
  try {
    await steps();
    const response = await answered;
    await pause(1000);
    return response.status() < 300 ? `ok   ${name}` : `FAIL ${name}: ${method} answered ${response.status()} ${await response.text()}`;
  } catch (error) {
    answered.catch(() => {});
    return `FAIL ${name}: ${error.message.split('\n')[0]}`;
  } finally {
    await page.screenshot({ path: `${shots}/form-${name}.png` }).catch(() => {});
  }
}

export async function submitForms(page, ui, shots, { stack, component }) {
  const results = [];
  const open = async path => { await page.goto(ui + path, { waitUntil: 'networkidle2', timeout: 60000 }); await pause(500); };

  results.push(await submit(page, shots, 'secret-create', 'POST', /^\/api\/v1\/secrets$/, async () => {
    await open('/settings/secrets');
    await clickText(page, 'button', 'New Secret');
    await type(page, 'input[name=secretName]', 'walk-secret');
    await type(page, 'input[name="keysValues.0.key"]', 'token');
    await type(page, 'input[name="keysValues.0.value"]', 'walk-value');
    await page.click('button[form=create-secret-form]');
  }));
  results.push(await submit(page, shots, 'component-create', 'POST', /^\/api\/v1\/components$/, async () => {
    await open('/components/create');
    await clickText(page, 'button', 'Orchestrator');
    await clickText(page, 'button', 'Local Orchestrator');
    await type(page, 'input[name=componentName]', 'walk-orchestrator');
    await page.click('button[type=submit]');
  }));
  results.push(await submit(page, shots, 'component-edit', 'PUT', /^\/api\/v1\/components\/[0-9a-f-]+$/, async () => {
    await open(`/components/${component.id}/edit`);
    await type(page, 'input[name=componentName]', `${component.name}-edited`);
    await page.click('button[type=submit]');
  }));
  results.push(await submit(page, shots, 'stack-edit', 'PUT', /^\/api\/v1\/stacks\/[0-9a-f-]+$/, async () => {
    await open(`/stacks/${stack.id}/edit`);
    await type(page, 'input[name=stackName]', `${stack.name}-edited`);
    await clickText(page, 'button[type=submit]', 'Update Stack');
  }));
  // The wizard: a type, then name, auth method and credentials, which it verifies (POST /service_connectors/verify)
  // before its Next registers the connector.
  results.push(await submit(page, shots, 'connector-create', 'POST', /^\/api\/v1\/service_connectors$/, async () => {
    await open('/settings/connectors/create');
    await page.waitForSelector('input[type=radio]', { timeout: 15000 });
    await page.click('input[type=radio][value="Docker Service Connector"]');
    await clickText(page, 'button', 'Next');
    await type(page, 'input[name=name]', 'walk-docker');
    await clickText(page, 'button[role=combobox]', 'Authentication Method');
    await clickText(page, '[role=option]', 'Docker username and password');
    await type(page, 'input[name=username]', 'walker');
    await type(page, 'input[name=password]', 'walk-password');
    await clickText(page, 'button', 'Validate Credentials');
    await page.waitForFunction(() => document.body.innerText.includes('Verified successfully'), { timeout: 15000 });
    await clickText(page, 'button[type=submit]', 'Next');
  }));
  return results;
}
