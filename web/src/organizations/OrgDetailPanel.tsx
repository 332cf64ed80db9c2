// An organization's detail panel: launch, id (eye/copy), rename, remote assist, tags, logo,
// applications, password policy, MDM dates, connect key, usage, and the admins who reach it. Each part is
// shown only when the admin's actions reach it; read-only admins see values, not buttons.
import {
  Button,
  DatePicker,
  DescriptionList,
  DescriptionListDescription,
  DescriptionListGroup,
  DescriptionListTerm,
  DrawerActions,
  DrawerCloseButton,
  DrawerHead,
  DrawerPanelBody,
  DrawerPanelContent,
  Flex,
  FileUpload,
  Form,
  FormGroup,
  Label,
  Switch,
  TextInput,
  Title,
  Alert,
  ExpandableSection,
} from '@patternfly/react-core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { api, call, rawFetch } from '../api/client';
import { fieldOf } from '../api/errors';
import { can } from '../auth/session';
import { CopyField } from '../components/CopyField';
import { ErrorAlert, isStale } from '../components/ErrorAlert';
import { useMeOutlet } from '../components/RequireAction';
import { FieldError } from '../auth/SignInPage';
import { useOrgUpdate, type Org, type OrgEdit } from './api';
import { Applications } from './Applications';
import { useLaunch } from './launch';

export function Section({ title, children }: { title: string; children: ReactNode }) {
  return (
    <ExpandableSection toggleText={title} isIndented displaySize="lg" isExpanded>
      {children}
    </ExpandableSection>
  );
}

export function OrgDetailPanel({ pid, id, onClose }: { pid: string; id: string; onClose: () => void }) {
  const me = useMeOutlet();
  const launch = useLaunch();
  const path = { pid, id };
  const org = useQuery({
    queryKey: ['orgs', pid, 'one', id],
    queryFn: () => call(api.GET('/api/v2/providers/{pid}/organizations/{id}', { params: { path } })) as Promise<Org>,
  });
  const update = useOrgUpdate(pid, id);
  const qc = useQueryClient();
  const mayUpdate = can(me, 'orgs.update');
  const [name, setName] = useState<string | null>(null);
  const [tagText, setTagText] = useState('');
  const o = org.data;

  const refresh = () => void qc.invalidateQueries({ queryKey: ['orgs', pid] });
  // Each edit names the version it was made from; a stale one (412) reloads the org.
  const save = (body: OrgEdit) =>
    update.mutate({ ...body, version: o?.version }, { onSuccess: refresh, onError: (e) => isStale(e) && setName(null) });

  return (
    <DrawerPanelContent widths={{ default: 'width_50' }} aria-label="Organization details">
      <DrawerHead>
        <Title headingLevel="h2">{o?.name ?? 'Organization'}</Title>
        <DrawerActions>
          <DrawerCloseButton onClick={onClose} aria-label="Close the details" />
        </DrawerActions>
      </DrawerHead>
      <DrawerPanelBody>
        <ErrorAlert error={org.error ?? launch.error} onRetry={() => void org.refetch()} />
        {o && (
          <>
            <Flex>
              {can(me, 'orgs.launch') && (
                <Button onClick={() => launch.mutate({ id, name: o.name ?? id })} isLoading={launch.isPending}>
                  Launch
                </Button>
              )}
            </Flex>
            <DescriptionList isHorizontal isCompact style={{ marginTop: 12 }}>
              <DescriptionListGroup>
                <DescriptionListTerm>Organization id</DescriptionListTerm>
                <DescriptionListDescription>
                  <CopyField value={id} label="Organization id" />
                </DescriptionListDescription>
              </DescriptionListGroup>
              <DescriptionListGroup>
                <DescriptionListTerm>Users / devices / applications</DescriptionListTerm>
                <DescriptionListDescription>
                  {o.userCount} / {o.deviceCount} / {o.applicationCount}
                  {o.maxSystemUsers != null ? ` (user cap ${o.maxSystemUsers})` : ''}
                </DescriptionListDescription>
              </DescriptionListGroup>
            </DescriptionList>
            <ErrorAlert error={update.error && !fieldOf(update.error) ? update.error : null} />
            <Section title="Settings">
              <Form onSubmit={(e) => e.preventDefault()}>
                <FormGroup label="Name" fieldId="org-rename">
                  <Flex flexWrap={{ default: 'nowrap' }}>
                    <TextInput id="org-rename" value={name ?? o.name ?? ''} onChange={(_e, v) => setName(v)} readOnlyVariant={mayUpdate ? undefined : 'default'} validated={fieldOf(update.error) === 'name' ? 'error' : 'default'} />
                    {mayUpdate && (
                      <Button variant="secondary" isDisabled={!name?.trim() || name === o.name} onClick={() => save({ name: name!.trim() })}>
                        Rename
                      </Button>
                    )}
                  </Flex>
                  {fieldOf(update.error) === 'name' && <FieldError text={(update.error as Error).message} />}
                </FormGroup>
                <FormGroup label="Remote assist" fieldId="org-remote-assist">
                  <Switch id="org-remote-assist" label={o.remoteAssist ? 'On' : 'Off'} isChecked={!!o.remoteAssist} isDisabled={!mayUpdate} onChange={(_e, v) => save({ remoteAssist: v })} />
                </FormGroup>
                <FormGroup label="Tags" fieldId="org-tag-new">
                  <Flex>
                    {(o.tags ?? []).map((t) => (
                      <Label key={t} color="blue" onClose={mayUpdate ? () => save({ tags: (o.tags ?? []).filter((x) => x !== t) }) : undefined} closeBtnAriaLabel={`Remove tag ${t}`}>
                        {t}
                      </Label>
                    ))}
                  </Flex>
                  {mayUpdate && (
                    <Flex flexWrap={{ default: 'nowrap' }} style={{ marginTop: 8 }}>
                      <TextInput id="org-tag-new" aria-label="New tag" placeholder="new tag" value={tagText} onChange={(_e, v) => setTagText(v)} validated={fieldOf(update.error) === 'tags' ? 'error' : 'default'} />
                      <Button
                        variant="secondary"
                        isDisabled={!tagText.trim()}
                        onClick={() => {
                          save({ tags: [...(o.tags ?? []), tagText.trim()] });
                          setTagText('');
                        }}
                      >
                        Add tag
                      </Button>
                    </Flex>
                  )}
                  {fieldOf(update.error) === 'tags' && <FieldError text={(update.error as Error).message} />}
                </FormGroup>
              </Form>
            </Section>
            {mayUpdate && <LogoUpload pid={pid} id={id} onDone={refresh} />}
            <Applications pid={pid} id={id} mayUpdate={mayUpdate} />
            <PasswordPolicy pid={pid} id={id} mayUpdate={mayUpdate} />
            <MdmDates pid={pid} id={id} mayUpdate={mayUpdate} />
            {can(me, 'devices.update') && <ConnectKey pid={pid} id={id} mayUpdate />}
            {can(me, 'billing.read') && <OrgUsage pid={pid} id={id} />}
            {can(me, 'admins.read') && <OrgAdmins id={id} mayRemove={can(me, 'admins.grant_access')} />}
          </>
        )}
      </DrawerPanelBody>
    </DrawerPanelContent>
  );
}

function LogoUpload({ pid, id, onDone }: { pid: string; id: string; onDone: () => void }) {
  const [file, setFile] = useState<File | null>(null);
  const [invalid, setInvalid] = useState('');
  const up = useMutation({
    mutationFn: (f: File) =>
      rawFetch(`/api/v2/providers/${encodeURIComponent(pid)}/organizations/${encodeURIComponent(id)}/logo`, {
        method: 'PUT',
        body: f,
        headers: { 'Content-Type': f.type || 'application/octet-stream' },
      }),
    onSuccess: onDone,
  });
  return (
    <Section title="Logo">
      <FileUpload
        id="org-logo"
        type="dataURL"
        filename={file?.name ?? ''}
        browseButtonText="Choose a PNG or JPEG"
        hideDefaultPreview
        onFileInputChange={(_e, f) => {
          if (f.size > 1024 * 1024) {
            setInvalid('The logo must be at most 1 MiB.');
            return;
          }
          if (!/^image\/(png|jpeg)$/.test(f.type)) {
            setInvalid('The logo must be a PNG or JPEG image.');
            return;
          }
          setInvalid('');
          setFile(f);
          up.mutate(f);
        }}
        onClearClick={() => setFile(null)}
      />
      {invalid && <FieldError text={invalid} />}
      <ErrorAlert error={up.error} />
      {up.isSuccess && <Alert variant="success" isInline isPlain title="Logo uploaded" />}
    </Section>
  );
}

function PasswordPolicy({ pid, id, mayUpdate }: { pid: string; id: string; mayUpdate: boolean }) {
  const path = { pid, id };
  const qc = useQueryClient();
  const policy = useQuery({
    queryKey: ['orgs', pid, 'policy', id],
    queryFn: () => call(api.GET('/api/v2/providers/{pid}/organizations/{id}/password-policy', { params: { path } })) as Promise<{ lockoutAfterFailures?: number; passwordExpirationDays?: number }>,
  });
  const [lockout, setLockout] = useState<string | null>(null);
  const [expiry, setExpiry] = useState<string | null>(null);
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const save = useMutation({
    mutationFn: (b: { lockoutAfterFailures: number; passwordExpirationDays: number }) =>
      call(api.PUT('/api/v2/providers/{pid}/organizations/{id}/password-policy', { params: { path }, body: b as never })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['orgs', pid, 'policy', id] }),
    onError: (e) => {
      const f = fieldOf(e);
      if (f) setInvalid({ [f]: (e as Error).message });
    },
  });
  const p = policy.data;
  const l = lockout ?? String(p?.lockoutAfterFailures ?? '');
  const x = expiry ?? String(p?.passwordExpirationDays ?? '');
  function submit() {
    const bad: Record<string, string> = {};
    if (!/^\d+$/.test(l) || Number(l) > 100) bad.lockoutAfterFailures = 'A whole number from 0 (never locks) to 100.';
    if (!/^\d+$/.test(x) || Number(x) > 3650) bad.passwordExpirationDays = 'A whole number of days from 0 (never expires) to 3650.';
    setInvalid(bad);
    if (!Object.keys(bad).length) save.mutate({ lockoutAfterFailures: Number(l), passwordExpirationDays: Number(x) });
  }
  return (
    <Section title="Password policy">
      <ErrorAlert error={policy.error ?? (save.error && !fieldOf(save.error) ? save.error : null)} />
      {p && (
        <Form onSubmit={(e) => { e.preventDefault(); submit(); }} isHorizontal>
          <FormGroup label="Lock out after failed sign-ins" fieldId="pp-lockout">
            <TextInput id="pp-lockout" value={l} onChange={(_e, v) => setLockout(v.trim())} readOnlyVariant={mayUpdate ? undefined : 'default'} validated={invalid.lockoutAfterFailures ? 'error' : 'default'} />
            {invalid.lockoutAfterFailures && <FieldError text={invalid.lockoutAfterFailures} />}
          </FormGroup>
          <FormGroup label="Passwords expire after (days)" fieldId="pp-expiry">
            <TextInput id="pp-expiry" value={x} onChange={(_e, v) => setExpiry(v.trim())} readOnlyVariant={mayUpdate ? undefined : 'default'} validated={invalid.passwordExpirationDays ? 'error' : 'default'} />
            {invalid.passwordExpirationDays && <FieldError text={invalid.passwordExpirationDays} />}
          </FormGroup>
          {mayUpdate && (
            <Button type="submit" variant="secondary" isLoading={save.isPending}>
              Save password policy
            </Button>
          )}
          {save.isSuccess && <Alert variant="success" isInline isPlain title="Password policy saved" />}
        </Form>
      )}
    </Section>
  );
}

const MDM_FIELDS = [
  { key: 'apnsCertificateExpiresAt', label: 'Apple MDM push certificate' },
  { key: 'vppTokenExpiresAt', label: 'Volume Purchase Program token' },
  { key: 'adeTokenExpiresAt', label: 'Automated Device Enrollment token' },
] as const;

function MdmDates({ pid, id, mayUpdate }: { pid: string; id: string; mayUpdate: boolean }) {
  const path = { pid, id };
  const qc = useQueryClient();
  const mdm = useQuery({
    queryKey: ['orgs', pid, 'mdm', id],
    queryFn: () => call(api.GET('/api/v2/providers/{pid}/organizations/{id}/mdm', { params: { path } })) as Promise<Record<string, string | null | undefined>>,
  });
  const save = useMutation({
    mutationFn: (b: Record<string, string | null>) => call(api.PUT('/api/v2/providers/{pid}/organizations/{id}/mdm', { params: { path }, body: b as never })),
    onSuccess: () => void qc.invalidateQueries({ queryKey: ['orgs', pid, 'mdm', id] }),
  });
  return (
    <Section title="MDM certificates and tokens">
      <ErrorAlert error={mdm.error ?? save.error} />
      {mdm.data && (
        <Form isHorizontal onSubmit={(e) => e.preventDefault()}>
          {MDM_FIELDS.map((f) => (
            <FormGroup key={f.key} label={f.label} fieldId={`mdm-${f.key}`}>
              <DatePicker
                value={mdm.data[f.key]?.slice(0, 10) ?? ''}
                isDisabled={!mayUpdate}
                inputProps={{ id: `mdm-${f.key}`, 'aria-label': `${f.label} expiry date` }}
                onChange={(_e, v) => {
                  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) save.mutate({ [f.key]: `${v}T00:00:00Z` });
                  else if (v === '') save.mutate({ [f.key]: null });
                }}
              />
            </FormGroup>
          ))}
        </Form>
      )}
    </Section>
  );
}

function ConnectKey({ pid, id, mayUpdate }: { pid: string; id: string; mayUpdate: boolean }) {
  const path = { pid, id };
  const qc = useQueryClient();
  const key = useQuery({
    queryKey: ['orgs', pid, 'connectkey', id],
    queryFn: () => call(api.GET('/api/v2/providers/{pid}/organizations/{id}/connectkey', { params: { path } })) as Promise<{ connectKey?: string }>,
  });
  const regen = useMutation({
    mutationFn: () => call(api.POST('/api/v2/providers/{pid}/organizations/{id}/connectkey', { params: { path } })) as Promise<{ connectKey?: string }>,
    onSuccess: (k) => qc.setQueryData(['orgs', pid, 'connectkey', id], k),
  });
  return (
    <Section title="Connect key (device enrollment)">
      <ErrorAlert error={key.error ?? regen.error} />
      {key.data?.connectKey && <CopyField value={key.data.connectKey} label="Connect key" />}
      {mayUpdate && (
        <Button variant="secondary" onClick={() => regen.mutate()} isLoading={regen.isPending}>
          Regenerate connect key
        </Button>
      )}
      {mayUpdate && <p>A new key stops new enrollments with the old one at once.</p>}
    </Section>
  );
}

function OrgUsage({ pid, id }: { pid: string; id: string }) {
  const usage = useQuery({
    queryKey: ['usage', pid],
    queryFn: () => call(api.GET('/api/v2/providers/{pid}/billing/usage', { params: { path: { pid } } })),
  });
  const row = usage.data?.organizations?.find((o) => o.id === id);
  return (
    <Section title="Usage">
      <ErrorAlert error={usage.error} />
      {row && (
        <DescriptionList isHorizontal isCompact>
          <DescriptionListGroup>
            <DescriptionListTerm>Current users</DescriptionListTerm>
            <DescriptionListDescription>{row.currentUsers}</DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>Devices</DescriptionListTerm>
            <DescriptionListDescription>{row.devices}</DescriptionListDescription>
          </DescriptionListGroup>
          <DescriptionListGroup>
            <DescriptionListTerm>Most users on a day last month</DescriptionListTerm>
            <DescriptionListDescription>{row.usersLastMonth}</DescriptionListDescription>
          </DescriptionListGroup>
        </DescriptionList>
      )}
    </Section>
  );
}

function OrgAdmins({ id, mayRemove }: { id: string; mayRemove: boolean }) {
  const qc = useQueryClient();
  const admins = useQuery({
    queryKey: ['org-admins', id],
    queryFn: () => call(api.GET('/api/v2/organizations/{id}/administratorlinks', { params: { path: { id } } })),
  });
  const remove = useMutation({
    mutationFn: (admin: string) =>
      call(api.DELETE('/api/v2/administrators/{id}/organizationlinks/{orgId}', { params: { path: { id: admin, orgId: id } } })),
    onSettled: () => void qc.invalidateQueries({ queryKey: ['org-admins', id] }),
  });
  const list = ((admins.data as { results?: unknown[] } | unknown[] | undefined) ?? []) as unknown;
  const rows = (Array.isArray(list) ? list : ((list as { results?: unknown[] }).results ?? [])) as {
    id: string;
    email?: string;
    roleName?: string;
    allOrganizations?: boolean;
  }[];
  return (
    <Section title="Administrators of this organization">
      <ErrorAlert error={admins.error ?? remove.error} />
      <ul aria-label="Administrators of this organization">
        {rows.map((a) => (
          <li key={a.id}>
            {a.email} ({a.roleName}){a.allOrganizations ? ' — all organizations' : ''}{' '}
            {mayRemove && !a.allOrganizations && (
              <Button variant="link" isDanger isInline onClick={() => remove.mutate(a.id)} aria-label={`Remove ${a.email} from this organization`}>
                Remove
              </Button>
            )}
          </li>
        ))}
      </ul>
    </Section>
  );
}
