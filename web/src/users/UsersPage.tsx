// Users: one table across every org the admin reaches, filtered, searched, sorted and paged on
// the server; a selection that survives paging; bulk actions with progress and one result per
// user; a user's details (edit, activate, delete) and "Add user".
import {
  Button,
  Checkbox,
  Dropdown,
  DropdownItem,
  DropdownList,
  FormSelect,
  FormSelectOption,
  Label,
  MenuToggle,
  PageSection,
  Pagination,
  SearchInput,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarGroup,
  ToolbarItem,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr, type ThProps } from '@patternfly/react-table';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { can } from '../auth/session';
import { BulkProgress, type ItemResult } from '../components/BulkProgress';
import { ErrorAlert } from '../components/ErrorAlert';
import { useMeOutlet } from '../components/RequireAction';
import { useOrgNames } from '../components/useOrgNames';
import { AddUserModal } from './AddUserModal';
import { BULK_ACTIONS, bulkUsers, useUsers, type BulkAction, type SystemUser, type UserFilters } from './api';
import { UserModal } from './UserModal';

interface Picked {
  organization: string;
  id: string;
  label: string;
}
const keyOf = (u: { organization?: string; id?: string }) => `${u.organization ?? ''}/${u.id ?? ''}`;
const BATCH = 25;
const SORTABLE = ['state', 'username', 'firstname', 'email', 'organization'] as const;

export function UsersPage() {
  const me = useMeOutlet();
  const pid = me.provider ?? '';
  const qc = useQueryClient();
  const orgs = useOrgNames(pid);
  const [f, setF] = useState<UserFilters>({ search: '', state: '', organization: '', locked: false, passwordExpired: false, mfa: '' });
  const [sort, setSort] = useState('username');
  const [page, setPage] = useState(1);
  const [perPage, setPerPage] = useState(20);
  const [picked, setPicked] = useState<Map<string, Picked>>(new Map());
  const [menu, setMenu] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [results, setResults] = useState<ItemResult[] | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);
  const [open, setOpen] = useState<SystemUser | null>(null);
  const [adding, setAdding] = useState(false);
  const users = useUsers(pid, f, sort, page, perPage);
  const rows = users.data?.results ?? [];
  const actions = BULK_ACTIONS.filter((a) => can(me, a.needs));

  const set = (p: Partial<UserFilters>) => {
    setF({ ...f, ...p });
    setPage(1);
  };
  const sortBy = (field: (typeof SORTABLE)[number]): ThProps['sort'] => ({
    sortBy: { index: SORTABLE.indexOf(sort.replace(/^-/, '') as never), direction: sort.startsWith('-') ? 'desc' : 'asc' },
    onSort: (_e, _i, dir) => {
      setSort(dir === 'desc' ? `-${field}` : field);
      setPage(1);
    },
    columnIndex: SORTABLE.indexOf(field),
  });
  const toggle = (u: SystemUser, on: boolean) => {
    const next = new Map(picked);
    if (on) next.set(keyOf(u), { organization: u.organization ?? '', id: u.id ?? '', label: u.username ?? '' });
    else next.delete(keyOf(u));
    setPicked(next);
  };
  const pageAll = rows.length > 0 && rows.every((u) => picked.has(keyOf(u)));

  async function run(action: BulkAction, targets: Picked[]) {
    setMenu(false);
    setResults(null);
    setActionError(null);
    setProgress({ done: 0, total: targets.length });
    const out: ItemResult[] = [];
    try {
      for (let i = 0; i < targets.length; i += BATCH) {
        const batch = targets.slice(i, i + BATCH);
        const answers = await bulkUsers(pid, action, batch.map(({ organization, id }) => ({ organization, id })));
        batch.forEach((b, k) =>
          out.push({ key: `${b.organization}/${b.id}`, label: `${b.label} (${orgs.nameOf(b.organization)})`, status: answers[k]?.status ?? 0, error: answers[k]?.error?.message }),
        );
        setProgress({ done: Math.min(i + BATCH, targets.length), total: targets.length });
      }
    } catch (e) {
      setActionError(e);
    }
    setResults(out);
    setProgress(null);
    setPicked(new Map());
    void qc.invalidateQueries({ queryKey: ['users', pid] });
  }

  return (
    <PageSection>
      <Title headingLevel="h1">Users</Title>
      <Toolbar>
        <ToolbarContent>
          <ToolbarItem>
            <SearchInput aria-label="Search users by username" placeholder="Search by username" value={f.search} onChange={(_e, v) => set({ search: v })} onClear={() => set({ search: '' })} />
          </ToolbarItem>
          <ToolbarGroup>
            <ToolbarItem>
              <FormSelect aria-label="State" value={f.state} onChange={(_e, v) => set({ state: v })}>
                <FormSelectOption value="" label="Any state" />
                <FormSelectOption value="ACTIVATED" label="Active" />
                <FormSelectOption value="STAGED" label="Staged" />
                <FormSelectOption value="SUSPENDED" label="Suspended" />
              </FormSelect>
            </ToolbarItem>
            <ToolbarItem>
              <FormSelect aria-label="Organization" value={f.organization} onChange={(_e, v) => set({ organization: v })}>
                <FormSelectOption value="" label="All organizations" />
                {orgs.options.map((o) => (
                  <FormSelectOption key={o.id} value={o.id} label={o.name} />
                ))}
              </FormSelect>
            </ToolbarItem>
            <ToolbarItem>
              <FormSelect aria-label="MFA enrollment" value={f.mfa} onChange={(_e, v) => set({ mfa: v as UserFilters['mfa'] })}>
                <FormSelectOption value="" label="Any MFA enrollment" />
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
          </ToolbarGroup>
          {actions.length > 0 && (
            <ToolbarItem>
              <Dropdown
                isOpen={menu}
                onOpenChange={setMenu}
                toggle={(ref) => (
                  <MenuToggle ref={ref} onClick={() => setMenu(!menu)} isDisabled={picked.size === 0 || !!progress} isExpanded={menu}>
                    Actions ({picked.size} selected)
                  </MenuToggle>
                )}
              >
                <DropdownList>
                  {actions.map((a) => (
                    <DropdownItem key={a.id} onClick={() => void run(a.id, [...picked.values()])}>
                      {a.label}
                    </DropdownItem>
                  ))}
                </DropdownList>
              </Dropdown>
            </ToolbarItem>
          )}
          {can(me, 'users.create') && (
            <ToolbarItem>
              <Button onClick={() => setAdding(true)}>Add user</Button>
            </ToolbarItem>
          )}
          <ToolbarItem variant="pagination" align={{ default: 'alignEnd' }}>
            <Pagination
              itemCount={users.data?.totalCount ?? 0}
              page={page}
              perPage={perPage}
              onSetPage={(_e, p) => setPage(p)}
              onPerPageSelect={(_e, n) => {
                setPerPage(n);
                setPage(1);
              }}
              isCompact
            />
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      <ErrorAlert error={users.error ?? actionError ?? orgs.error} onRetry={() => void users.refetch()} />
      <BulkProgress progress={progress} results={results} />
      <Table aria-label="Users" variant="compact">
        <Thead>
          <Tr>
            {actions.length > 0 && (
              <Th
                select={{
                  onSelect: (_e, all) => {
                    const next = new Map(picked);
                    rows.forEach((u) => (all ? next.set(keyOf(u), { organization: u.organization ?? '', id: u.id ?? '', label: u.username ?? '' }) : next.delete(keyOf(u))));
                    setPicked(next);
                  },
                  isSelected: pageAll,
                }}
                aria-label="Select this page"
              />
            )}
            <Th sort={sortBy('state')}>State</Th>
            <Th sort={sortBy('username')}>Username</Th>
            <Th sort={sortBy('firstname')}>Name</Th>
            <Th sort={sortBy('email')}>Email</Th>
            <Th>Alerts</Th>
            <Th>MFA</Th>
            <Th sort={sortBy('organization')}>Organization</Th>
          </Tr>
        </Thead>
        <Tbody>
          {rows.map((u, i) => (
            <Tr key={keyOf(u)}>
              {actions.length > 0 && (
                <Td select={{ rowIndex: i, onSelect: (_e, on) => toggle(u, on), isSelected: picked.has(keyOf(u)) }} aria-label={`Select ${u.username}`} />
              )}
              <Td dataLabel="State">{u.state === 'ACTIVATED' ? 'Active' : u.state === 'STAGED' ? 'Staged' : u.state === 'SUSPENDED' ? 'Suspended' : u.state}</Td>
              <Td dataLabel="Username">
                <Button variant="link" isInline onClick={() => setOpen(u)}>
                  {u.username}
                </Button>
              </Td>
              <Td dataLabel="Name">{[u.firstname, u.lastname].filter(Boolean).join(' ')}</Td>
              <Td dataLabel="Email">{u.email}</Td>
              <Td dataLabel="Alerts">
                {u.account_locked && <Label color="red" isCompact>Locked</Label>} {u.password_expired && <Label color="orange" isCompact>Password expired</Label>}
              </Td>
              <Td dataLabel="MFA">{u.totp_enabled ? 'TOTP enrolled' : 'Not enrolled'}</Td>
              <Td dataLabel="Organization">{orgs.nameOf(u.organization)}</Td>
            </Tr>
          ))}
        </Tbody>
      </Table>
      {users.isSuccess && rows.length === 0 && <p>No user matches.</p>}
      {open && <UserModal pid={pid} user={open} orgName={orgs.nameOf(open.organization)} onClose={() => setOpen(null)} />}
      {adding && <AddUserModal pid={pid} orgs={orgs.options} onClose={() => setAdding(false)} />}
    </PageSection>
  );
}
