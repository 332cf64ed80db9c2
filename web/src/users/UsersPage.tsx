// Users: one table across every org the admin reaches, filtered, searched, sorted and paged on
// the server; a selection that survives paging; bulk actions with progress and one result per
// user; a user's details (edit, activate, delete) and "Add user".
import {
  Button,
  Checkbox,
  FormSelect,
  FormSelectOption,
  Label,
  PageSection,
  SearchInput,
  Title,
  ToolbarItem,
} from '@patternfly/react-core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { can } from '../auth/session';
import { useMeOutlet } from '../components/RequireAction';
import { ServerTable, Stacked, type Column } from '../components/ServerTable';
import { useBulkRun } from '../components/useBulkRun';
import { OrgTypeahead } from '../components/OrgTypeahead';
import { useOrgNames } from '../components/useOrgNames';
import { AddUserModal } from './AddUserModal';
import { BULK_ACTIONS, bulkUsers, useUsers, type BulkAction, type SystemUser, type UserFilters } from './api';
import { UserModal } from './UserModal';

const keyOf = (u: SystemUser) => `${u.organization ?? ''}/${u.id ?? ''}`;
const BATCH = 25;

export function UsersPage() {
  const me = useMeOutlet();
  const pid = me.provider ?? '';
  const qc = useQueryClient();
  const [f, setF] = useState<UserFilters>({ search: '', state: '', organization: '', locked: false, passwordExpired: false, mfa: '' });
  const [orgName, setOrgName] = useState('');
  const [sort, setSort] = useState('username');
  const [page, setPage] = useState(1);
  const [perPage, setPerPage] = useState(20);
  const [open, setOpen] = useState<SystemUser | null>(null);
  const [adding, setAdding] = useState(false);
  const bulk = useBulkRun();
  const users = useUsers(pid, f, sort, page, perPage);
  const rows = users.data?.results ?? [];
  const orgs = useOrgNames(pid, rows.map((u) => u.organization));
  const actions = BULK_ACTIONS.filter((a) => can(me, a.needs));

  const set = (p: Partial<UserFilters>) => {
    setF({ ...f, ...p });
    setPage(1);
  };
  const run = async (action: BulkAction, targets: SystemUser[]) => {
    await bulk.run(targets, BATCH, async (batch) => {
      const answers = await bulkUsers(pid, action, batch.map((u) => ({ organization: u.organization ?? '', id: u.id ?? '' })));
      return batch.map((u, k) => ({ key: keyOf(u), label: `${u.username ?? ''} (${orgs.nameOf(u.organization)})`, status: answers[k]?.status ?? 0, error: answers[k]?.error?.message }));
    });
    void qc.invalidateQueries({ queryKey: ['users', pid] });
  };
  const columns: Column<SystemUser>[] = [
    { title: 'State', sort: 'state', cell: (u) => (u.state === 'ACTIVATED' ? 'Active' : u.state === 'STAGED' ? 'Staged' : u.state === 'SUSPENDED' ? 'Suspended' : u.state) },
    {
      title: 'Username',
      sort: 'username',
      cell: (u) => (
        <Stacked
          main={
            <Button variant="link" isInline onClick={() => setOpen(u)}>
              {u.username}
            </Button>
          }
          sub={[u.firstname, u.lastname].filter(Boolean).join(' ') || undefined}
        />
      ),
    },
    { title: 'Email', sort: 'email', cell: (u) => u.email },
    {
      title: 'Alerts',
      cell: (u) => (
        <>
          {u.account_locked && <Label color="red" isCompact>Locked</Label>} {u.password_expired && <Label color="orange" isCompact>Password expired</Label>}
        </>
      ),
    },
    { title: 'MFA', cell: (u) => (u.totp_enabled ? 'TOTP' : 'None') },
    { title: 'Organization', sort: 'organization', cell: (u) => orgs.nameOf(u.organization) },
  ];

  return (
    <PageSection>
      <Title headingLevel="h1">Users</Title>
      <ServerTable
        label="Users"
        rows={rows}
        totalCount={users.data?.totalCount ?? 0}
        rowKey={keyOf}
        rowName={(u) => u.username ?? ''}
        columns={columns}
        paging={{ page, perPage, onChange: (p, n) => (setPage(p), setPerPage(n)) }}
        sort={{ value: sort, onChange: (s) => (setSort(s), setPage(1)) }}
        actions={actions}
        run={(a, targets) => run(a.id as BulkAction, targets)}
        progress={bulk.progress}
        results={bulk.results}
        error={users.error ?? bulk.error ?? orgs.error}
        onRetry={() => void users.refetch()}
        loaded={users.isSuccess}
        emptyText="No user matches."
        filters={
          <>
            <ToolbarItem>
              <SearchInput aria-label="Search users by username" placeholder="Search by username" value={f.search} onChange={(_e, v) => set({ search: v })} onClear={() => set({ search: '' })} />
            </ToolbarItem>
            <ToolbarItem>
              <FormSelect className="mtp-short-pick" aria-label="State" value={f.state} onChange={(_e, v) => set({ state: v })}>
                <FormSelectOption value="" label="Any state" />
                <FormSelectOption value="ACTIVATED" label="Active" />
                <FormSelectOption value="STAGED" label="Staged" />
                <FormSelectOption value="SUSPENDED" label="Suspended" />
              </FormSelect>
            </ToolbarItem>
            <ToolbarItem>
              <OrgTypeahead
                pid={pid}
                label="Organization"
                allLabel="All organizations"
                value={f.organization}
                valueName={orgName}
                onChange={(id, name) => {
                  setOrgName(name);
                  set({ organization: id });
                }}
              />
            </ToolbarItem>
            <ToolbarItem>
              <FormSelect aria-label="MFA enrollment" value={f.mfa} onChange={(_e, v) => set({ mfa: v as UserFilters['mfa'] })}>
                <FormSelectOption value="" label="Any MFA" />
                <FormSelectOption value="true" label="MFA enrolled" />
                <FormSelectOption value="false" label="MFA not enrolled" />
              </FormSelect>
            </ToolbarItem>
            <ToolbarItem>
              <Checkbox id="f-locked" label="Locked" isChecked={f.locked} onChange={(_e, v) => set({ locked: v })} />
            </ToolbarItem>
            <ToolbarItem>
              <Checkbox id="f-expired" label="Password expired" isChecked={f.passwordExpired} onChange={(_e, v) => set({ passwordExpired: v })} />
            </ToolbarItem>
          </>
        }
        tools={
          can(me, 'users.create') && (
            <ToolbarItem>
              <Button onClick={() => setAdding(true)}>Add user</Button>
            </ToolbarItem>
          )
        }
      />
      {open && <UserModal pid={pid} user={open} orgName={orgs.nameOf(open.organization)} onClose={() => setOpen(null)} />}
      {adding && <AddUserModal pid={pid} orgs={orgs.options} onClose={() => setAdding(false)} />}
    </PageSection>
  );
}
