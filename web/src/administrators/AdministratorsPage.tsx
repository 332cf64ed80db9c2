// Administrators: the seeds' columns (name, email, role, organizations, status, API key
// access, MFA requirement, MFA enrollment) with filters; add, edit, suspend/restore, the
// password and TOTP reset emails, delete, and "why can't they?".
import {
  Alert,
  Button,
  Label,
  MenuToggle,
  Modal,
  ModalBody,
  ModalFooter,
  ModalHeader,
  PageSection,
  Pagination,
  SearchInput,
  Select,
  SelectList,
  SelectOption,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
  Tooltip,
} from '@patternfly/react-core';
import { ActionsColumn, Table, Tbody, Td, Th, Thead, Tr, type IAction } from '@patternfly/react-table';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../api/client';
import { can } from '../auth/session';
import { ErrorAlert } from '../components/ErrorAlert';
import { useMeOutlet } from '../components/RequireAction';
import { AdminFormModal } from './AdminFormModal';
import { ExplainModal } from './ExplainModal';
import { ROLES, roleLabel } from './roles';
import type { Admin } from './api';

function FilterSelect({ label, value, options, onChange }: { label: string; value: string; options: { value: string; label: string }[]; onChange: (v: string) => void }) {
  const [open, setOpen] = useState(false);
  return (
    <Select
      isOpen={open}
      onOpenChange={setOpen}
      selected={value}
      onSelect={(_e, v) => {
        onChange(String(v ?? ''));
        setOpen(false);
      }}
      toggle={(ref) => (
        <MenuToggle ref={ref} onClick={() => setOpen(!open)} isExpanded={open} aria-label={label}>
          {options.find((o) => o.value === value)?.label ?? label}
        </MenuToggle>
      )}
    >
      <SelectList>
        {options.map((o) => (
          <SelectOption key={o.value} value={o.value}>
            {o.label}
          </SelectOption>
        ))}
      </SelectList>
    </Select>
  );
}

// An email that may wrap before its "@" only, so the table fits a laptop screen without
// breaking an address in the middle of a word.
function BreakableEmail({ email }: { email: string | undefined }) {
  const at = (email ?? '').lastIndexOf('@');
  if (!email || at <= 0) return <>{email}</>;
  return (
    <>
      {email.slice(0, at)}
      <wbr />
      {email.slice(at)}
    </>
  );
}

export function AdministratorsPage() {
  const me = useMeOutlet();
  const pid = me.provider ?? '';
  const qc = useQueryClient();
  const [search, setSearch] = useState('');
  const [role, setRole] = useState('');
  const [status, setStatus] = useState('');
  const [page, setPage] = useState(1);
  const [perPage, setPerPage] = useState(20);
  const [form, setForm] = useState<{ admin?: Admin } | null>(null);
  const [explain, setExplain] = useState<Admin | null>(null);
  const [confirm, setConfirm] = useState<Admin | null>(null);
  const [notice, setNotice] = useState('');

  const filters = [
    search.trim() ? `email:search:${search.trim()}` : '',
    role ? `roleName:eq:${role}` : '',
    status ? `status:eq:${status}` : '',
  ].filter(Boolean);
  const admins = useQuery({
    queryKey: ['admins', pid, filters, page, perPage],
    queryFn: () =>
      call(
        api.GET('/api/v2/providers/{pid}/administrators', {
          params: { path: { pid }, query: { limit: perPage, skip: (page - 1) * perPage, sort: 'email', ...(filters.length ? { filter: filters.join(';') } : {}) } as never },
        }),
      ) as Promise<{ results?: Admin[]; totalCount?: number }>,
    placeholderData: (p) => p,
  });
  const done = (text: string) => {
    setNotice(text);
    void qc.invalidateQueries({ queryKey: ['admins', pid] });
  };
  const act = useMutation({
    mutationFn: async ({ a, what }: { a: Admin; what: 'suspend' | 'restore' | 'password-reset' | 'totp-reset' | 'delete' }) => {
      const path = { pid, id: a.id ?? '' };
      if (what === 'suspend') await call(api.POST('/api/v2/providers/{pid}/administrators/{id}/suspend', { params: { path } }));
      if (what === 'restore') await call(api.POST('/api/v2/providers/{pid}/administrators/{id}/restore', { params: { path } }));
      if (what === 'password-reset') await call(api.POST('/api/v2/providers/{pid}/administrators/{id}/password-reset', { params: { path } }));
      if (what === 'totp-reset') await call(api.POST('/api/v2/providers/{pid}/administrators/{id}/totp-reset', { params: { path }, body: { sendEmail: true } }));
      if (what === 'delete') await call(api.DELETE('/api/v2/providers/{pid}/administrators/{id}', { params: { path } }));
      return { a, what };
    },
    onSuccess: ({ a, what }) =>
      done(
        {
          suspend: `${a.email} is suspended.`,
          restore: `${a.email} is restored.`,
          'password-reset': `A password reset email was sent to ${a.email}.`,
          'totp-reset': `A TOTP reset email was sent to ${a.email}.`,
          delete: `${a.email} was deleted.`,
        }[what],
      ),
  });

  const rowActions = (a: Admin): IAction[] => {
    const items: IAction[] = [];
    const self = a.id === me.id;
    if (can(me, 'admins.update')) items.push({ title: 'Edit', onClick: () => setForm({ admin: a }) });
    if (!self && a.status !== 'suspended' && can(me, 'admins.suspend')) items.push({ title: 'Suspend account', onClick: () => act.mutate({ a, what: 'suspend' }) });
    if (a.status === 'suspended' && can(me, 'admins.restore')) items.push({ title: 'Restore account', onClick: () => act.mutate({ a, what: 'restore' }) });
    if (can(me, 'admins.reset_password')) items.push({ title: 'Send password reset email', onClick: () => act.mutate({ a, what: 'password-reset' }) });
    if (a.totpEnrolled && can(me, 'admins.reset_mfa')) items.push({ title: 'Send TOTP reset email', onClick: () => act.mutate({ a, what: 'totp-reset' }) });
    if (can(me, 'admins.read')) items.push({ title: "Why can't they?", onClick: () => setExplain(a) });
    if (!self && can(me, 'admins.delete')) items.push({ isSeparator: true }, { title: 'Delete', onClick: () => setConfirm(a), isDanger: true });
    return items;
  };

  const rows = admins.data?.results ?? [];
  return (
    <PageSection>
      <Title headingLevel="h1">Administrators</Title>
      {notice && <Alert variant="success" isInline title={notice} actionClose={<Button variant="plain" aria-label="Dismiss" onClick={() => setNotice('')}>×</Button>} />}
      <ErrorAlert error={admins.error ?? act.error} onRetry={() => void admins.refetch()} />
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <SearchInput aria-label="Search administrators by email" placeholder="Search by email" value={search} onChange={(_e, v) => { setSearch(v); setPage(1); }} onClear={() => setSearch('')} />
          </ToolbarItem>
          <ToolbarItem>
            <FilterSelect label="Role" value={role} onChange={(v) => { setRole(v); setPage(1); }} options={[{ value: '', label: 'All roles' }, ...ROLES.map((r) => ({ value: r.name, label: r.label }))]} />
          </ToolbarItem>
          <ToolbarItem>
            <FilterSelect label="Status" value={status} onChange={(v) => { setStatus(v); setPage(1); }} options={[{ value: '', label: 'All statuses' }, { value: 'active', label: 'Active' }, { value: 'pending', label: 'Pending' }, { value: 'suspended', label: 'Suspended' }]} />
          </ToolbarItem>
          {can(me, 'admins.create') && (
            <ToolbarItem>
              <Button onClick={() => setForm({})}>Add administrator</Button>
            </ToolbarItem>
          )}
          <ToolbarItem variant="pagination" align={{ default: 'alignEnd' }}>
            <Pagination itemCount={admins.data?.totalCount ?? 0} page={page} perPage={perPage} onSetPage={(_e, p) => setPage(p)} onPerPageSelect={(_e, n) => { setPerPage(n); setPage(1); }} isCompact />
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      <Table aria-label="Administrators" variant="compact">
        <Thead>
          <Tr>
            <Th>Name</Th>
            <Th>Email</Th>
            <Th>Role</Th>
            <Th modifier="wrap">Organizations</Th>
            <Th>Status</Th>
            <Th modifier="wrap">API key access</Th>
            <Th modifier="wrap">MFA: requirement</Th>
            <Th modifier="wrap">MFA: enrollment</Th>
            <Th screenReaderText="Actions" />
          </Tr>
        </Thead>
        <Tbody>
          {rows.map((a) => {
            const actions = rowActions(a);
            return (
              <Tr key={a.id}>
                <Td dataLabel="Name">{[a.firstname, a.lastname].filter(Boolean).join(' ')}</Td>
                <Td dataLabel="Email">
                  <BreakableEmail email={a.email} />
                </Td>
                <Td dataLabel="Role">{roleLabel(a.roleName)}</Td>
                <Td dataLabel="Organizations">{a.allOrganizations ? 'All' : a.organizationAccessTotal ?? 0}</Td>
                <Td dataLabel="Status">
                  <Label color={a.status === 'active' ? 'green' : a.status === 'suspended' ? 'red' : 'orange'}>{a.status}</Label>
                  {a.lockedOut ? <Label color="red">locked out</Label> : null}
                </Td>
                <Td dataLabel="API key access">
                  <Tooltip content={a.apiKeyAllowed ? (a.apiKeySet ? 'May use an API key and has generated one' : 'May generate an API key; has none yet') : 'May not generate or use an API key'}>
                    <span tabIndex={0}>{a.apiKeyAllowed ? (a.apiKeySet ? 'Enabled, key set' : 'Enabled') : 'Disabled'}</span>
                  </Tooltip>
                </Td>
                <Td dataLabel="MFA: requirement">{a.enableMultiFactor ? 'Required' : 'Not required'}</Td>
                <Td dataLabel="MFA: enrollment">{a.totpEnrolled ? 'Enrolled' : 'Not enrolled'}</Td>
                <Td isActionCell>{actions.length > 0 && <ActionsColumn items={actions} popperProps={{ position: 'right' }} aria-label={`Actions for ${a.email}`} />}</Td>
              </Tr>
            );
          })}
        </Tbody>
      </Table>
      {form && <AdminFormModal pid={pid} admin={form.admin} onClose={() => setForm(null)} onSaved={(t) => done(t)} />}
      {explain && <ExplainModal admin={explain} onClose={() => setExplain(null)} />}
      {confirm && (
        <Modal isOpen variant="small" onClose={() => setConfirm(null)} aria-labelledby="del-title">
          <ModalHeader title={`Delete ${confirm.email}?`} labelId="del-title" titleIconVariant="warning" />
          <ModalBody>The administrator loses access at once. This cannot be undone.</ModalBody>
          <ModalFooter>
            <Button variant="danger" onClick={() => { act.mutate({ a: confirm, what: 'delete' }); setConfirm(null); }}>
              Delete
            </Button>
            <Button variant="link" onClick={() => setConfirm(null)}>
              Cancel
            </Button>
          </ModalFooter>
        </Modal>
      )}
    </PageSection>
  );
}
