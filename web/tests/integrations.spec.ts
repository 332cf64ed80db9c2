// Integrations: the demo's ConnectWise integration (against nothing real) and an unconfigured
// Autotask; configure with a write-only secret, test the connection (the API's message shown
// as it is), map an org through the server-side type-ahead, sync now, request an integration
// and sign up for the beta. A read-only admin (no integrations.update) sees no button that changes.
import { checkA11y, expect, shot, signIn, test } from './fixtures';

test.slow();

test('admin with billing: configure, test, map, sync and request', async ({ page, mtp }, info) => {
  await signIn(page, mtp.logins.admin_billing!);
  await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Integrations' }).click();
  const cw = page.getByRole('article', { name: 'ConnectWise Manage' });
  const at = page.getByRole('article', { name: 'Autotask' });
  await expect(cw.getByText('Demo', { exact: true })).toBeVisible();
  await expect(cw.getByText('Stored (never shown)')).toBeVisible();
  await expect(at.getByText('Not configured')).toBeVisible();
  await checkA11y(page);
  await shot(page, 'integrations', info.project.name);

  // The demo integration reaches no PSA: the API's own answer, cleanly.
  await cw.getByRole('button', { name: 'Test connection' }).click();
  await expect(cw.getByTestId('test-result-connectwise')).toContainText('Connection failed');
  await expect(cw.getByTestId('test-result-connectwise')).toContainText('demo integration: no real PSA behind it');

  // Mappings of the demo: two orgs; add a third through the type-ahead.
  await cw.getByRole('button', { name: /Organization mappings \(2\)/ }).click();
  const maps = cw.getByRole('grid', { name: 'ConnectWise Manage mappings' });
  await expect(maps.getByRole('row')).toHaveCount(3);
  const pickOrg = cw.getByRole('combobox', { name: 'Organization to map to ConnectWise Manage' });
  await pickOrg.fill('Dune');
  await page.getByRole('option', { name: 'Dune Logistics' }).click();
  await expect(pickOrg).toHaveValue('Dune Logistics');
  await cw.getByRole('button', { name: 'Save mapping' }).click();
  await expect(cw.getByText('The mapping is incomplete')).toBeVisible();
  await cw.getByLabel('PSA company id').fill('250');
  await cw.getByLabel('PSA company name').fill('Dune in the PSA');
  await cw.getByLabel('Agreement id').fill('4001');
  await cw.getByLabel('Addition id').fill('77');
  await cw.getByRole('button', { name: 'Save mapping' }).click();
  await expect(maps.getByRole('row', { name: /Dune Logistics/ })).toContainText('Dune in the PSA (250)');
  await expect(cw.getByRole('button', { name: /Organization mappings|Hide organization mappings/ })).toBeVisible();
  await checkA11y(page);
  await maps.getByRole('button', { name: 'Remove the mapping of Dune Logistics' }).click();
  await expect(maps.getByRole('row')).toHaveCount(3);

  // Sync now: queued, then the demo's run ends (ok or failed) and shows in the history.
  await cw.getByRole('button', { name: 'Sync now' }).click();
  await cw.getByRole('button', { name: 'Sync history' }).click();
  const history = cw.getByRole('grid', { name: 'ConnectWise Manage sync history' });
  await expect(history.getByRole('row', { name: /manual/ }).first()).toBeVisible();

  // Configure Autotask: the secret is required the first time, then never shown again.
  await at.getByRole('button', { name: 'Configure' }).click();
  const dialog = page.getByRole('dialog', { name: 'Configure Autotask' });
  await dialog.getByLabel('Zone URL').fill('https://127.0.0.1:9');
  await dialog.getByLabel('Integration code').fill('CODE-1');
  await dialog.getByLabel('API user name').fill('api@example.com');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog.getByText('Enter the api secret.')).toBeVisible();
  await dialog.getByLabel('API secret').fill('very-secret-value');
  await dialog.getByLabel('Price per user (in the PSA\'s currency)').fill('4.25');
  await dialog.getByLabel('A user is locked out').check();
  await checkA11y(page);
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(at.getByText('Enabled', { exact: true })).toBeVisible();
  await expect(at.getByText('4.25')).toBeVisible();
  await expect(page.getByText('very-secret-value')).toHaveCount(0);
  const listed = await (await page.request.get(`/api/v2/providers/${mtp.provider}/integrations`)).text();
  expect(listed).not.toContain('very-secret-value');

  // Nothing listens there: the transport error, as the API words it.
  await at.getByRole('button', { name: 'Test connection' }).click();
  const result = at.getByTestId('test-result-autotask');
  await expect(result).toContainText('Connection failed', { timeout: 60_000 });
  const { message } = await (
    await page.request.post(`/api/v2/providers/${mtp.provider}/integrations/autotask/test`, { headers: { 'X-Requested-With': 'mtp' } })
  ).json();
  expect(message).toBeTruthy();
  await expect(result).toContainText(message.slice(0, 20));

  // Reconfigure without a secret keeps the stored one.
  await at.getByRole('button', { name: 'Edit configuration' }).click();
  await expect(dialog.getByLabel('API secret')).toHaveValue('');
  await expect(dialog.getByText('Leave this empty to keep it')).toBeVisible();
  await dialog.getByLabel('Price per user (in the PSA\'s currency)').fill('5');
  await dialog.getByRole('button', { name: 'Save' }).click();
  await expect(dialog).toHaveCount(0);
  await expect(at.getByText('Stored (never shown)')).toBeVisible();

  // Request an integration and sign up for the beta; the request shows in Activity.
  const req = page.getByRole('article', { name: 'Request an integration' });
  await req.getByRole('button', { name: 'Send request' }).click();
  await expect(req.getByText('Describe the integration you need.')).toBeVisible();
  await req.getByLabel(/Which tool should MTP integrate with/).fill('HaloPSA <i>please</i>');
  await req.getByRole('button', { name: 'Send request' }).click();
  await expect(req.getByText('Your request was sent')).toBeVisible();
  await req.getByRole('button', { name: 'Sign up for beta' }).click();
  await expect(req.getByText('You are signed up for the beta')).toBeVisible();
  await checkA11y(page);
  await shot(page, 'integrations-configured', info.project.name);
  const activity = await (await page.request.get(`/api/v2/providers/${mtp.provider}/activity?event_type=integration_request`)).text();
  expect(activity).toContain('integration_request');
});

test('read-only admin: the integrations without any edit', async ({ page, mtp }) => {
  {
    await signIn(page, mtp.logins.read_only!);
    await page.goto('/integrations');
    const cw = page.getByRole('article', { name: 'ConnectWise Manage' });
    await expect(cw.getByText('Demo', { exact: true })).toBeVisible();
    for (const name of ['Configure', 'Edit configuration', 'Test connection', 'Sync now', 'Remove', 'Send request', 'Sign up for beta']) {
      await expect(page.getByRole('button', { name, exact: true })).toHaveCount(0);
    }
    await cw.getByRole('button', { name: /Organization mappings/ }).click();
    await expect(cw.getByRole('grid', { name: 'ConnectWise Manage mappings' }).getByRole('row')).toHaveCount(3);
    await expect(cw.getByRole('button', { name: 'Save mapping' })).toHaveCount(0);
    await expect(cw.getByRole('button', { name: /Remove the mapping/ })).toHaveCount(0);
    await checkA11y(page);
    const r = await page.request.post(`/api/v2/providers/${mtp.provider}/integrations/connectwise/sync`, { headers: { 'X-Requested-With': 'mtp' } });
    expect(r.status()).toBe(403);
  }
});

test('help desk: no Integrations tab, and the page says so', async ({ page, mtp }) => {
  await signIn(page, mtp.logins.help_desk!);
  await expect(page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Integrations' })).toHaveCount(0);
  await page.goto('/integrations');
  await expect(page.getByText('Not available for your role')).toBeVisible();
});
