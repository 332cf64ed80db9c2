// Organizations: the list (logo, remote assist, name, current users, devices, applications)
// with search, sorting and paging; create; a click opens the detail panel.
import {
  Button,
  Drawer,
  DrawerContent,
  DrawerContentBody,
  Label,
  PageSection,
  Pagination,
  SearchInput,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr, type ThProps } from '@patternfly/react-table';
import { useState } from 'react';
import { can } from '../auth/session';
import { ErrorAlert } from '../components/ErrorAlert';
import { useMeOutlet } from '../components/RequireAction';
import { useOrgs } from './api';
import { CreateOrgModal } from './CreateOrgModal';
import { OrgDetailPanel } from './OrgDetailPanel';

export function OrganizationsPage() {
  const me = useMeOutlet();
  const pid = me.provider ?? '';
  const [search, setSearch] = useState('');
  const [sort, setSort] = useState('name');
  const [page, setPage] = useState(1);
  const [perPage, setPerPage] = useState(10);
  const [creating, setCreating] = useState(false);
  const [selected, setSelected] = useState<string | null>(null);
  const orgs = useOrgs(pid, { search, sort, page, perPage });
  const rows = orgs.data?.results ?? [];

  const sortBy = (field: string, index: number): ThProps['sort'] => ({
    sortBy: { index: sort.replace('-', '') === field ? index : undefined, direction: sort.startsWith('-') ? 'desc' : 'asc' },
    onSort: (_e, _i, dir) => {
      setSort(dir === 'desc' ? `-${field}` : field);
      setPage(1);
    },
    columnIndex: index,
  });

  const panel = selected ? <OrgDetailPanel pid={pid} id={selected} onClose={() => setSelected(null)} /> : null;
  return (
    <Drawer isExpanded={!!selected} isInline>
      <DrawerContent panelContent={panel}>
        <DrawerContentBody>
          <PageSection>
            <Title headingLevel="h1">Organizations</Title>
            <Toolbar>
              <ToolbarContent>
                <ToolbarItem>
                  <SearchInput
                    aria-label="Search organizations by name"
                    placeholder="Search by name"
                    value={search}
                    onChange={(_e, v) => {
                      setSearch(v);
                      setPage(1);
                    }}
                    onClear={() => setSearch('')}
                  />
                </ToolbarItem>
                {can(me, 'orgs.create') && (
                  <ToolbarItem>
                    <Button onClick={() => setCreating(true)}>Create organization</Button>
                  </ToolbarItem>
                )}
                <ToolbarItem variant="pagination" align={{ default: 'alignEnd' }}>
                  <Pagination
                    itemCount={orgs.data?.totalCount ?? 0}
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
            <ErrorAlert error={orgs.error} onRetry={() => void orgs.refetch()} />
            <Table aria-label="Organizations" variant="compact">
              <Thead>
                <Tr>
                  <Th screenReaderText="Logo" />
                  <Th>Remote assist</Th>
                  <Th sort={sortBy('name', 2)}>Name</Th>
                  <Th>Current users</Th>
                  <Th>Devices</Th>
                  <Th>Applications</Th>
                  <Th sort={sortBy('created', 6)}>Created</Th>
                </Tr>
              </Thead>
              <Tbody>
                {rows.map((o) => (
                  <Tr key={o.id} isClickable isRowSelected={selected === o.id} onRowClick={() => setSelected(o.id ?? null)}>
                    <Td dataLabel="Logo">
                      {o.hasLogo ? (
                        <img src={`/api/v2/providers/${encodeURIComponent(pid)}/organizations/${encodeURIComponent(o.id ?? '')}/logo`} alt={`${o.name} logo`} width={24} height={24} />
                      ) : null}
                    </Td>
                    <Td dataLabel="Remote assist">{o.remoteAssist ? <Label color="green">On</Label> : <Label>Off</Label>}</Td>
                    <Td dataLabel="Name">
                      <Button variant="link" isInline onClick={() => setSelected(o.id ?? null)}>
                        {o.name}
                      </Button>{' '}
                      {(o.tags ?? []).map((t) => (
                        <Label key={t} isCompact color="blue">
                          {t}
                        </Label>
                      ))}
                    </Td>
                    <Td dataLabel="Current users">{o.userCount}</Td>
                    <Td dataLabel="Devices">{o.deviceCount}</Td>
                    <Td dataLabel="Applications">{o.applicationCount}</Td>
                    <Td dataLabel="Created">{o.created?.slice(0, 10)}</Td>
                  </Tr>
                ))}
              </Tbody>
            </Table>
            {orgs.isSuccess && rows.length === 0 && <p>No organization matches.</p>}
            {creating && <CreateOrgModal pid={pid} onClose={() => setCreating(false)} onCreated={(id) => setSelected(id)} />}
          </PageSection>
        </DrawerContentBody>
      </DrawerContent>
    </Drawer>
  );
}
