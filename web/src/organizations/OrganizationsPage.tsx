// Organizations: the list (logo, remote assist, name, current users, devices, applications)
// with search, sorting and paging; create; a click opens the detail panel.
import { Button, Drawer, DrawerContent, DrawerContentBody, Label, PageSection, SearchInput, Title, ToolbarItem } from '@patternfly/react-core';
import { useState } from 'react';
import { can } from '../auth/session';
import { useMeOutlet } from '../components/RequireAction';
import { ServerTable, type Column } from '../components/ServerTable';
import { useOrgs } from './api';
import { CreateOrgModal } from './CreateOrgModal';
import { OrgDetailPanel } from './OrgDetailPanel';

type Org = NonNullable<NonNullable<ReturnType<typeof useOrgs>['data']>['results']>[number];

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
  const logoOf = (o: Org) => `/api/v2/providers/${encodeURIComponent(pid)}/organizations/${encodeURIComponent(o.id ?? '')}/logo`;

  // The logo sits before the name (no column of its own that would stand empty without logos).
  const columns: Column<Org>[] = [
    {
      title: 'Name',
      sort: 'name',
      cell: (o) => (
        <>
          {o.hasLogo && <img src={logoOf(o)} alt={`${o.name} logo`} width={20} height={20} style={{ verticalAlign: 'middle', marginRight: 6 }} />}
          <Button variant="link" isInline onClick={() => setSelected(o.id ?? null)}>
            {o.name}
          </Button>{' '}
          {(o.tags ?? []).map((t) => (
            <Label key={t} isCompact color="blue">
              {t}
            </Label>
          ))}
        </>
      ),
    },
    { title: 'Remote assist', cell: (o) => (o.remoteAssist ? <Label color="green">On</Label> : <Label>Off</Label>) },
    { title: 'Current users', cell: (o) => o.userCount },
    { title: 'Devices', cell: (o) => o.deviceCount },
    { title: 'Applications', cell: (o) => o.applicationCount },
    { title: 'Created', sort: 'created', cell: (o) => o.created?.slice(0, 10) },
  ];

  const panel = selected ? <OrgDetailPanel pid={pid} id={selected} onClose={() => setSelected(null)} /> : null;
  return (
    <Drawer isExpanded={!!selected} isInline>
      <DrawerContent panelContent={panel}>
        <DrawerContentBody>
          <PageSection>
            <Title headingLevel="h1">Organizations</Title>
            <ServerTable
              label="Organizations"
              rows={rows}
              totalCount={orgs.data?.totalCount ?? 0}
              rowKey={(o) => o.id ?? ''}
              rowName={(o) => o.name ?? ''}
              columns={columns}
              paging={{ page, perPage, onChange: (p, n) => (setPage(p), setPerPage(n)) }}
              sort={{ value: sort, onChange: (s) => (setSort(s), setPage(1)) }}
              error={orgs.error}
              onRetry={() => void orgs.refetch()}
              loaded={orgs.isSuccess}
              emptyText="No organization matches."
              onRowClick={(o) => setSelected(o.id ?? null)}
              isRowSelected={(o) => selected === o.id}
              filters={
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
              }
              tools={
                can(me, 'orgs.create') && (
                  <ToolbarItem>
                    <Button onClick={() => setCreating(true)}>Create organization</Button>
                  </ToolbarItem>
                )
              }
            />
            {creating && <CreateOrgModal pid={pid} onClose={() => setCreating(false)} onCreated={(id) => setSelected(id)} />}
          </PageSection>
        </DrawerContentBody>
      </DrawerContent>
    </Drawer>
  );
}
