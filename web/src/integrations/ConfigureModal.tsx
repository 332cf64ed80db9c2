// Configure one PSA integration: site, ids, the credentials (entered here once: the server
// seals the secret and never returns it; left empty on a reconfiguration it keeps the stored
// one), enabled, the per-user price and the alerts that open tickets.
import { Checkbox, FormGroup, FormHelperText, HelperText, HelperTextItem, Switch, TextInput } from '@patternfly/react-core';
import { useState } from 'react';
import { fieldOf } from '../api/errors';
import { FieldError } from '../auth/SignInPage';
import { FormModal, TextField } from '../components/FormModal';
import { useConfigure, type Integration, type IntegrationForm, type Kind } from './api';

const ALERTS = [
  { id: 'user_locked', label: 'A user is locked out' },
  { id: 'device_inactive_7d', label: 'A device has not checked in for 7 days' },
] as const;

export function ConfigureModal({ pid, integration, onClose }: { pid: string; integration: Integration; onClose: () => void }) {
  const kind = integration.kind as Kind;
  const cw = kind === 'connectwise';
  const first = !integration.configured;
  const save = useConfigure(pid, kind);
  const [f, setF] = useState({
    siteUrl: integration.siteUrl ?? '',
    companyId: integration.companyId ?? '',
    code: (cw ? integration.clientId : integration.integrationCode) ?? '',
    user: (cw ? integration.publicKey : integration.userName) ?? '',
    secret: '',
    enabled: integration.enabled ?? true,
    price: integration.pricePerUserCents != null ? (integration.pricePerUserCents / 100).toFixed(2) : '0.00',
    alerts: new Set<string>(integration.ticketAlertKinds ?? []),
  });
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const set = (p: Partial<typeof f>) => setF({ ...f, ...p });
  const names = cw
    ? { code: 'clientId', user: 'publicKey', secret: 'privateKey', codeLabel: 'Client id', userLabel: 'Public key', secretLabel: 'Private key' }
    : { code: 'integrationCode', user: 'userName', secret: 'secret', codeLabel: 'Integration code', userLabel: 'API user name', secretLabel: 'API secret' };
  const apiField = fieldOf(save.error);
  const err = (k: string) => invalid[k] ?? (apiField === k ? (save.error as Error).message : undefined);

  const submit = () => {
    const bad: Record<string, string> = {};
    if (!/^https?:\/\/\S+$/.test(f.siteUrl.trim())) bad.siteUrl = 'Enter the https:// address of your PSA.';
    if (cw && !f.companyId.trim()) bad.companyId = 'Enter the company id.';
    if (!f.code.trim()) bad[names.code] = `Enter the ${names.codeLabel.toLowerCase()}.`;
    if (!f.user.trim()) bad[names.user] = `Enter the ${names.userLabel.toLowerCase()}.`;
    if (first && !f.secret) bad[names.secret] = `Enter the ${names.secretLabel.toLowerCase()}.`;
    const price = Math.round(Number(f.price) * 100);
    if (!/^\d+(\.\d{1,2})?$/.test(f.price.trim()) || price > 100_000_000) bad.pricePerUserCents = 'A price such as 3.50.';
    setInvalid(bad);
    if (Object.keys(bad).length) return;
    const body: IntegrationForm = {
      siteUrl: f.siteUrl.trim(),
      enabled: f.enabled,
      pricePerUserCents: price,
      ticketAlertKinds: [...f.alerts] as IntegrationForm['ticketAlertKinds'],
    };
    if (cw) Object.assign(body, { companyId: f.companyId.trim(), clientId: f.code.trim(), publicKey: f.user.trim() });
    else Object.assign(body, { integrationCode: f.code.trim(), userName: f.user.trim() });
    if (f.secret) Object.assign(body, { [names.secret]: f.secret });
    save.mutate(body, { onSuccess: onClose });
  };

  return (
    <FormModal id="integration-config" title={`Configure ${integration.name}`} submitLabel="Save" onSubmit={submit} onClose={onClose} pending={save.isPending} error={save.error}>
      <TextField id="psa-site" label={cw ? 'Site URL' : 'Zone URL'} value={f.siteUrl} onChange={(v) => set({ siteUrl: v })} invalid={err('siteUrl')} required />
      {cw && <TextField id="psa-company" label="Company id" value={f.companyId} onChange={(v) => set({ companyId: v })} invalid={err('companyId')} required />}
      <TextField id="psa-code" label={names.codeLabel} value={f.code} onChange={(v) => set({ code: v })} invalid={err(names.code)} required />
      <TextField id="psa-user" label={names.userLabel} value={f.user} onChange={(v) => set({ user: v })} invalid={err(names.user)} required />
      <FormGroup label={names.secretLabel} isRequired={first} fieldId="psa-secret">
        <TextInput
          id="psa-secret"
          type="password"
          autoComplete="new-password"
          value={f.secret}
          onChange={(_e, v) => set({ secret: v })}
          validated={err(names.secret) ? 'error' : 'default'}
        />
        {err(names.secret) ? (
          <FieldError text={err(names.secret)!} />
        ) : (
          <FormHelperText>
            <HelperText>
              <HelperTextItem>
                {first
                  ? 'Stored encrypted and never shown again.'
                  : 'A secret is stored and is never shown. Leave this empty to keep it, or enter a new one to replace it.'}
              </HelperTextItem>
            </HelperText>
          </FormHelperText>
        )}
      </FormGroup>
      <TextField id="psa-price" label="Price per user (in the PSA's currency)" inputMode="text" value={f.price} onChange={(v) => set({ price: v })} invalid={err('pricePerUserCents')} />
      <FormGroup label="Open a PSA ticket when" fieldId="psa-alerts" role="group">
        {ALERTS.map((a) => (
          <Checkbox
            key={a.id}
            id={`psa-alert-${a.id}`}
            label={a.label}
            isChecked={f.alerts.has(a.id)}
            onChange={(_e, on) => {
              const next = new Set(f.alerts);
              if (on) next.add(a.id);
              else next.delete(a.id);
              set({ alerts: next });
            }}
          />
        ))}
      </FormGroup>
      <Switch id="psa-enabled" label="Enabled (daily sync and tickets)" isChecked={f.enabled} onChange={(_e, on) => set({ enabled: on })} />
    </FormModal>
  );
}
