// Devices: one table across every org the admin reaches (server-side filters, sort, paging);
// lock, restart, shut down and remote assist on one device or in bulk, each command's state
// polled on screen; "Add a device" with the org's connect key.
import {
  Button,
  Dropdown,
  DropdownItem,
  DropdownList,
  FormSelect,
  FormSelectOption,
  Label,
  MenuToggle,
  PageSection,
  Pagination,
  TextInput,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarGroup,
  ToolbarItem,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr, type ThProps } from '@patternfly/react-table';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { isApiError } from '../api/errors';
import { can } from '../auth/session';
import { BulkProgress, type ItemResult } from '../components/BulkProgress';
import { ErrorAlert } from '../components/ErrorAlert';
import { useMeOutlet } from '../components/RequireAction';
import { useOrgNames } from '../components/useOrgNames';
import { AddDeviceModal } from './AddDeviceModal';
import { COMMANDS, queueCommand, useDevices, type CommandType, type Device, type DeviceFilters } from './api';
import { CommandState } from './CommandState';

const keyOf = (d: Device) => `${d.organization}/${d.id}`;
const nameOf = (d: Device) => d.displayName || d.hostname || d.id;
const SORTABLE = ['displayName', 'hostname', 'os', 'version', 'active', 'lastContact', 'uptimeSeconds', 'remoteAssist', 'organization'] as const;

function uptime(s: number | null | undefined): string {
  if (!s) return '';
  const d = Math.floor(s / 86400);
  const h = Math.floor((s % 86400) / 3600);
  return d ? `${d} d ${h} h` : `${h} h ${Math.floor((s % 3600) / 60)} min`;
}

export function DevicesPage() {
  const me = useMeOutlet();
  const pid = me.provider ?? '';
  const qc = useQueryClient();
  const orgs = useOrgNames(pid);
  const [f, setF] = useState<DeviceFilters>({ organization: '', status: '', os: '' });
  const [osText, setOsText] = useState('');
  const [sort, setSort] = useState('displayName');
  const [page, setPage] = useState(1);
  const [perPage, setPerPage] = useState(20);
  const [picked, setPicked] = useState<Map<string, Device>>(new Map());
  const [watched, setWatched] = useState<Set<string>>(new Set());
  const [menu, setMenu] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [results, setResults] = useState<ItemResult[] | null>(null);
  const [adding, setAdding] = useState(false);
  const devices = useDevices(pid, f, sort, page, perPage);
  const rows = devices.data?.results ?? [];
  const commands = COMMANDS.filter((c) => can(me, c.needs));

  const set = (p: Partial<DeviceFilters>) => {
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

  async function run(type: CommandType, targets: Device[]) {
    setMenu(false);
    setResults(null);
    setProgress({ done: 0, total: targets.length });
    const out: ItemResult[] = [];
    const nextWatched = new Set(watched);
    for (let i = 0; i < targets.length; i++) {
      const d = targets[i]!;
      try {
        await queueCommand(d, type);
        out.push({ key: keyOf(d), label: nameOf(d), status: 201 });
        nextWatched.add(keyOf(d));
      } catch (e) {
        out.push({ key: keyOf(d), label: nameOf(d), status: isApiError(e) ? e.status : 0, error: e instanceof Error ? e.message : String(e) });
      }
      setProgress({ done: i + 1, total: targets.length });
      void qc.invalidateQueries({ queryKey: ['commands', d.organization, d.id] });
    }
    setWatched(nextWatched);
    setResults(out);
    setProgress(null);
    setPicked(new Map());
  }

  return (
    <PageSection>
      <Title headingLevel="h1">Devices</Title>
      <Toolbar>
        <ToolbarContent>
          <ToolbarGroup>
            <ToolbarItem>
              <FormSelect aria-label="Organization" value={f.organization} onChange={(_e, v) => set({ organization: v })}>
                <FormSelectOption value="" label="All organizations" />
                {orgs.options.map((o) => (
                  <FormSelectOption key={o.id} value={o.id} label={o.name} />
                ))}
              </FormSelect>
            </ToolbarItem>
            <ToolbarItem>
              <FormSelect aria-label="Status" value={f.status} onChange={(_e, v) => set({ status: v as DeviceFilters['status'] })}>
                <FormSelectOption value="" label="Any status" />
                <FormSelectOption value="true" label="Active" />
                <FormSelectOption value="false" label="Inactive" />
              </FormSelect>
            </ToolbarItem>
            <ToolbarItem>
              <TextInput
                aria-label="Operating system"
                placeholder="OS (exact, then Enter)"
                value={osText}
                onChange={(_e, v) => setOsText(v)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter') set({ os: osText.trim() });
                }}
                onBlur={() => set({ os: osText.trim() })}
              />
            </ToolbarItem>
          </ToolbarGroup>
          {commands.length > 0 && (
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
                  {commands.map((c) => (
                    <DropdownItem key={c.type} onClick={() => void run(c.type, [...picked.values()])}>
                      {c.label}
                    </DropdownItem>
                  ))}
                </DropdownList>
              </Dropdown>
            </ToolbarItem>
          )}
          {can(me, 'devices.update') && (
            <ToolbarItem>
              <Button onClick={() => setAdding(true)}>Add a device</Button>
            </ToolbarItem>
          )}
          <ToolbarItem variant="pagination" align={{ default: 'alignEnd' }}>
            <Pagination
              itemCount={devices.data?.totalCount ?? 0}
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
      <ErrorAlert error={devices.error ?? orgs.error} onRetry={() => void devices.refetch()} />
      <BulkProgress progress={progress} results={results} />
      <Table aria-label="Devices" variant="compact">
        <Thead>
          <Tr>
            {commands.length > 0 && (
              <Th
                select={{
                  onSelect: (_e, all) => {
                    const next = new Map(picked);
                    rows.forEach((d) => (all ? next.set(keyOf(d), d) : next.delete(keyOf(d))));
                    setPicked(next);
                  },
                  isSelected: rows.length > 0 && rows.every((d) => picked.has(keyOf(d))),
                }}
                aria-label="Select this page"
              />
            )}
            <Th sort={sortBy('displayName')}>Name</Th>
            <Th sort={sortBy('hostname')}>Hostname</Th>
            <Th sort={sortBy('os')}>OS</Th>
            <Th sort={sortBy('version')}>Version</Th>
            <Th sort={sortBy('active')}>Status</Th>
            <Th sort={sortBy('lastContact')}>Last contact</Th>
            <Th sort={sortBy('uptimeSeconds')}>Uptime</Th>
            <Th sort={sortBy('remoteAssist')}>Remote assist</Th>
            <Th sort={sortBy('organization')}>Organization</Th>
            <Th>Command</Th>
            {commands.length > 0 && <Th screenReaderText="Row actions" />}
          </Tr>
        </Thead>
        <Tbody>
          {rows.map((d, i) => (
            <Tr key={keyOf(d)}>
              {commands.length > 0 && (
                <Td
                  select={{
                    rowIndex: i,
                    onSelect: (_e, on) => {
                      const next = new Map(picked);
                      if (on) next.set(keyOf(d), d);
                      else next.delete(keyOf(d));
                      setPicked(next);
                    },
                    isSelected: picked.has(keyOf(d)),
                  }}
                />
              )}
              <Td dataLabel="Name">{nameOf(d)}</Td>
              <Td dataLabel="Hostname">{d.hostname}</Td>
              <Td dataLabel="OS">{d.os}</Td>
              <Td dataLabel="Version">{d.version}</Td>
              <Td dataLabel="Status">{d.active ? <Label color="green" isCompact>Active</Label> : <Label isCompact>Inactive</Label>}</Td>
              <Td dataLabel="Last contact">{d.lastContact ? d.lastContact.replace('T', ' ').slice(0, 16) : 'never'}</Td>
              <Td dataLabel="Uptime">{uptime(d.uptimeSeconds)}</Td>
              <Td dataLabel="Remote assist">{d.remoteAssist ? 'On' : 'Off'}</Td>
              <Td dataLabel="Organization">{orgs.nameOf(d.organization)}</Td>
              <Td dataLabel="Command">
                <CommandState device={d} watched={watched.has(keyOf(d))} />
              </Td>
              {commands.length > 0 && (
                <Td isActionCell>
                  {commands.map((c) => (
                    <Button key={c.type} variant="link" isInline onClick={() => void run(c.type, [d])} isDisabled={!!progress} style={{ marginRight: 8 }} aria-label={`${c.label} ${nameOf(d)}`}>
                      {c.label}
                    </Button>
                  ))}
                </Td>
              )}
            </Tr>
          ))}
        </Tbody>
      </Table>
      {devices.isSuccess && rows.length === 0 && <p>No device matches.</p>}
      {adding && <AddDeviceModal pid={pid} orgs={orgs.options} onClose={() => setAdding(false)} />}
    </PageSection>
  );
}
