// Account: provider id (eye/copy), my API key (shown once, with the seeds' warning), the
// global MFA requirement, payment history, billing information and usage with a chart.
import {
  Alert,
  Button,
  Card,
  CardBody,
  CardTitle,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  Form,
  FormGroup,
  Grid,
  GridItem,
  PageSection,
  Switch,
  TextInput,
  Title,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../api/client';
import { fieldOf } from '../api/errors';
import { FieldError } from '../auth/SignInPage';
import { can } from '../auth/session';
import { ApiKeyPanel } from '../components/ApiKeyPanel';
import { CopyField } from '../components/CopyField';
import { DailyBarChart } from '../components/DailyBarChart';
import { ErrorAlert } from '../components/ErrorAlert';
import { useMeOutlet } from '../components/RequireAction';

const money = (cents?: number, currency = 'USD') =>
  cents === undefined ? '' : new Intl.NumberFormat('en-US', { style: 'currency', currency: currency || 'USD' }).format(cents / 100);

export function AccountPage() {
  const me = useMeOutlet();
  const pid = me.provider ?? '';
  return (
    <PageSection>
      <Title headingLevel="h1">Account</Title>
      <Grid hasGutter style={{ marginTop: 16 }}>
        <GridItem md={6}>
          <Card>
            <CardTitle>Account overview</CardTitle>
            <CardBody>
              <DescriptionList>
                <DescriptionListGroup>
                  <DescriptionListTerm>Provider id</DescriptionListTerm>
                  <DescriptionListDescription>
                    <CopyField value={pid} label="Provider id" />
                  </DescriptionListDescription>
                </DescriptionListGroup>
              </DescriptionList>
            </CardBody>
          </Card>
          {can(me, 'settings.read') && <MfaRequirement pid={pid} mayUpdate={can(me, 'settings.update')} />}
        </GridItem>
        <GridItem md={6}>
          <Card>
            <CardTitle>My API key</CardTitle>
            <CardBody>
              <ApiKeyPanel />
            </CardBody>
          </Card>
        </GridItem>
        {can(me, 'billing.read') && (
          <>
            <GridItem md={12}>
              <Usage pid={pid} />
            </GridItem>
            <GridItem md={7}>
              <Payments pid={pid} />
            </GridItem>
            <GridItem md={5}>
              <BillingInformation pid={pid} mayUpdate={can(me, 'billing.update')} />
            </GridItem>
          </>
        )}
      </Grid>
    </PageSection>
  );
}

function MfaRequirement({ pid, mayUpdate }: { pid: string; mayUpdate: boolean }) {
  const qc = useQueryClient();
  const provider = useQuery({ queryKey: ['provider', pid], queryFn: () => call(api.GET('/api/v2/providers/{pid}', { params: { path: { pid } } })) });
  const save = useMutation({
    mutationFn: (v: boolean) => call(api.PUT('/api/v2/providers/{pid}/settings', { params: { path: { pid } }, body: { requireAdminMFA: v } as never })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['provider', pid] }),
  });
  const on = !!(provider.data as { requireAdminMFA?: boolean } | undefined)?.requireAdminMFA;
  return (
    <Card style={{ marginTop: 16 }}>
      <CardTitle>Multi-factor authentication</CardTitle>
      <CardBody>
        <ErrorAlert error={provider.error ?? save.error} />
        {provider.data && (
          <Switch
            id="require-mfa"
            label="Require MFA for every administrator"
            isChecked={on}
            isDisabled={!mayUpdate || save.isPending}
            onChange={(_e, v) => save.mutate(v)}
          />
        )}
        <p style={{ marginTop: 8 }}>Administrators who have not enrolled are asked to at their next sign-in.</p>
      </CardBody>
    </Card>
  );
}

interface UsageData {
  currentUsers?: number;
  devices?: number;
  lastMonthHwm?: number;
  currentHwm?: number;
  userCap?: number | null;
  organizations?: { id?: string; name?: string; currentUsers?: number; devices?: number; usersLastMonth?: number }[];
  daily?: { date?: string; users?: number; devices?: number }[];
  monthly?: { month?: string; hwm?: number }[];
}

function Usage({ pid }: { pid: string }) {
  const usage = useQuery({ queryKey: ['usage', pid], queryFn: () => call(api.GET('/api/v2/providers/{pid}/billing/usage', { params: { path: { pid } } })) as Promise<UsageData> });
  const u = usage.data;
  const orgs = u?.organizations ?? [];
  const max = Math.max(1, ...orgs.map((o) => Math.max(o.currentUsers ?? 0, o.usersLastMonth ?? 0)));
  return (
    <Card>
      <CardTitle>Usage</CardTitle>
      <CardBody>
        <ErrorAlert error={usage.error} onRetry={() => void usage.refetch()} />
        {u && (
          <>
            <DescriptionList columnModifier={{ default: '2Col', lg: '3Col' }}>
              {[
                ['Current users', u.currentUsers],
                ['Devices', u.devices],
                ['High-water mark this month', u.currentHwm],
                ['High-water mark last month', u.lastMonthHwm],
                ['User cap', u.userCap ?? 'none'],
              ].map(([k, v]) => (
                <DescriptionListGroup key={String(k)}>
                  <DescriptionListTerm>{k}</DescriptionListTerm>
                  <DescriptionListDescription>{String(v ?? '')}</DescriptionListDescription>
                </DescriptionListGroup>
              ))}
            </DescriptionList>
            <DailyBarChart
              title="Daily users, last 30 days"
              unit="users"
              points={(u.daily ?? []).map((d) => ({ date: d.date ?? '', value: d.users ?? 0 }))}
            />
            <section aria-labelledby="hwm-per-month" style={{ marginTop: 16 }}>
              <h2 id="hwm-per-month" className="pf-v6-c-title pf-m-md">High-water marks per month</h2>
              {(u.monthly ?? []).length === 0 ? (
                <p>No usage recorded yet.</p>
              ) : (
                <DescriptionList isHorizontal isCompact>
                  {[...(u.monthly ?? [])].reverse().map((m) => (
                    <DescriptionListGroup key={m.month}>
                      <DescriptionListTerm>{m.month}</DescriptionListTerm>
                      <DescriptionListDescription>{m.hwm} users</DescriptionListDescription>
                    </DescriptionListGroup>
                  ))}
                </DescriptionList>
              )}
            </section>
            <figure style={{ marginTop: 16 }} aria-label="Users per organization: now and the most on one day last month">
              <figcaption>Users per organization: now (blue) and the most on one day last month (grey)</figcaption>
              {orgs.map((o) => (
                <div key={o.id} style={{ display: 'grid', gridTemplateColumns: '12rem 1fr', alignItems: 'center', gap: 8, marginTop: 6 }}>
                  <span>{o.name}</span>
                  <div>
                    <div className="mtp-bar mtp-bar--now" style={{ width: `${(100 * (o.currentUsers ?? 0)) / max}%` }} title={`${o.currentUsers} users now`} />
                    <div className="mtp-bar mtp-bar--last" style={{ width: `${(100 * (o.usersLastMonth ?? 0)) / max}%` }} title={`${o.usersLastMonth} users last month`} />
                    <small>
                      {o.currentUsers} now, {o.usersLastMonth} last month, {o.devices} devices
                    </small>
                  </div>
                </div>
              ))}
            </figure>
          </>
        )}
      </CardBody>
    </Card>
  );
}

interface Invoice {
  id: string;
  number?: string;
  dueDate?: string;
  status?: string;
  billed?: number;
  paid?: number;
  owed?: number;
  currency?: string;
}

function Payments({ pid }: { pid: string }) {
  const inv = useQuery({
    queryKey: ['invoices', pid],
    queryFn: () => call(api.GET('/api/v2/providers/{pid}/invoices', { params: { path: { pid }, query: { limit: 100 } as never } })) as Promise<{ results?: Invoice[] }>,
  });
  const rows = inv.data?.results ?? [];
  return (
    <Card>
      <CardTitle>Payment history</CardTitle>
      <CardBody>
        <ErrorAlert error={inv.error} />
        <Table aria-label="Payment history" variant="compact">
          <Thead>
            <Tr>
              <Th>Invoice number</Th>
              <Th>Due date</Th>
              <Th>Status</Th>
              <Th>Amount billed</Th>
              <Th>Amount paid</Th>
              <Th>Amount owed</Th>
            </Tr>
          </Thead>
          <Tbody>
            {rows.map((i) => (
              <Tr key={i.id}>
                <Td dataLabel="Invoice number">{i.number}</Td>
                <Td dataLabel="Due date">{i.dueDate?.slice(0, 10)}</Td>
                <Td dataLabel="Status">{i.status}</Td>
                <Td dataLabel="Amount billed">{money(i.billed, i.currency)}</Td>
                <Td dataLabel="Amount paid">{money(i.paid, i.currency)}</Td>
                <Td dataLabel="Amount owed">{money(i.owed, i.currency)}</Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
        {inv.isSuccess && rows.length === 0 && <p>No invoice yet.</p>}
      </CardBody>
    </Card>
  );
}

const BILLING_FIELDS = [
  ['name', 'Name on the account'],
  ['email', 'Billing email'],
  ['addressLine1', 'Address'],
  ['addressLine2', 'Address (line 2)'],
  ['city', 'City'],
  ['state', 'State or region'],
  ['postalCode', 'Postal code'],
  ['country', 'Country'],
] as const;

function BillingInformation({ pid, mayUpdate }: { pid: string; mayUpdate: boolean }) {
  const qc = useQueryClient();
  const info = useQuery({
    queryKey: ['billing-info', pid],
    queryFn: () => call(api.GET('/api/v2/providers/{pid}/billing/information', { params: { path: { pid } } })) as Promise<Record<string, string | undefined>>,
  });
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: (b: Record<string, string>) => call(api.PUT('/api/v2/providers/{pid}/billing/information', { params: { path: { pid } }, body: b as never })),
    onSuccess: () => {
      setEdits({});
      void qc.invalidateQueries({ queryKey: ['billing-info', pid] });
    },
    onError: (e) => {
      const f = fieldOf(e);
      if (f) setInvalid({ [f]: (e as Error).message });
    },
  });
  const value = (k: string) => edits[k] ?? info.data?.[k] ?? '';
  function submit() {
    const bad: Record<string, string> = {};
    for (const [k] of BILLING_FIELDS) if (value(k).length > 200) bad[k] = 'At most 200 characters.';
    if (value('email') && !/^\S+@\S+\.\S+$/.test(value('email'))) bad.email = 'Enter a valid email address.';
    setInvalid(bad);
    if (Object.keys(bad).length) return;
    const body: Record<string, string> = {};
    for (const [k] of BILLING_FIELDS) body[k] = value(k);
    save.mutate(body);
  }
  return (
    <Card>
      <CardTitle>Billing information</CardTitle>
      <CardBody>
        <ErrorAlert error={info.error ?? (save.error && !fieldOf(save.error) ? save.error : null)} />
        {save.isSuccess && <Alert variant="success" isInline isPlain title="Billing information saved" />}
        {info.data && (
          <Form onSubmit={(e) => { e.preventDefault(); submit(); }}>
            {BILLING_FIELDS.map(([k, label]) => (
              <FormGroup key={k} label={label} fieldId={`bill-${k}`}>
                <TextInput id={`bill-${k}`} value={value(k)} onChange={(_e, v) => setEdits({ ...edits, [k]: v })} readOnlyVariant={mayUpdate ? undefined : 'default'} validated={invalid[k] ? 'error' : 'default'} />
                {invalid[k] && <FieldError text={invalid[k]!} />}
              </FormGroup>
            ))}
            {mayUpdate && (
              <Button type="submit" isLoading={save.isPending}>
                Submit payment information
              </Button>
            )}
          </Form>
        )}
      </CardBody>
    </Card>
  );
}
