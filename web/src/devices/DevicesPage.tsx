// Devices: one table across every org the admin reaches (server-side filters, sort, paging);
// lock, restart, shut down and remote assist on one device or in bulk, each command's state
// polled on screen; "Add a device" with the org's connect key.
import { Button, FormSelect, FormSelectOption, Label, PageSection, TextInput, Title, ToolbarItem } from '@patternfly/react-core';
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { isApiError } from '../api/errors';
import { can } from '../auth/session';
import { useMeOutlet } from '../components/RequireAction';
import { ServerTable, Stacked, type Column } from '../components/ServerTable';
import { useBulkRun } from '../components/useBulkRun';
import { OrgTypeahead } from '../components/OrgTypeahead';
import { useOrgNames } from '../components/useOrgNames';
import { AddDeviceModal } from './AddDeviceModal';
import { COMMANDS, queueCommand, useDevices, type CommandType, type Device, type DeviceFilters } from './api';
import { CommandState } from './CommandState';

const keyOf = (d: Device) => `${d.organization}/${d.id}`;
const nameOf = (d: Device) => d.displayName || d.hostname || d.id;

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
  const [f, setF] = useState<DeviceFilters>({ organization: '', status: '', os: '' });
  const [osText, setOsText] = useState('');
  const [orgName, setOrgName] = useState('');
  const [sort, setSort] = useState('displayName');
  const [page, setPage] = useState(1);
  const [perPage, setPerPage] = useState(20);
  const [watched, setWatched] = useState<Set<string>>(new Set());
  const [adding, setAdding] = useState(false);
  const bulk = useBulkRun();
  const devices = useDevices(pid, f, sort, page, perPage);
  const rows = devices.data?.results ?? [];
  const orgs = useOrgNames(pid, rows.map((d) => d.organization));
  const commands = COMMANDS.filter((c) => can(me, c.needs));

  const set = (p: Partial<DeviceFilters>) => {
    setF({ ...f, ...p });
    setPage(1);
  };
  // One command per device (the command routes take one device each).
  const run = async (type: CommandType, targets: Device[]) => {
    const queued = new Set(watched);
    await bulk.run(targets, 1, async ([d]) => {
      if (!d) return [];
      try {
        await queueCommand(d, type);
        queued.add(keyOf(d));
        return [{ key: keyOf(d), label: nameOf(d), status: 201 }];
      } catch (e) {
        return [{ key: keyOf(d), label: nameOf(d), status: isApiError(e) ? e.status : 0, error: e instanceof Error ? e.message : String(e) }];
      } finally {
        void qc.invalidateQueries({ queryKey: ['commands', d.organization, d.id] });
      }
    });
    setWatched(queued);
  };
  // Two facts to a cell where they belong together, so the table fits a 1280 px page.
  const columns: Column<Device>[] = [
    { title: 'Name', sort: 'displayName', cell: (d) => <Stacked main={nameOf(d)} sub={d.hostname !== nameOf(d) ? d.hostname : undefined} /> },
    { title: 'OS', sort: 'os', cell: (d) => <Stacked main={d.os} sub={d.version} /> },
    {
      title: 'Status',
      sort: 'active',
      cell: (d) => (
        <Stacked
          main={d.active ? <Label color="green" isCompact>Active</Label> : <Label isCompact>Inactive</Label>}
          sub={`Last contact ${d.lastContact ? d.lastContact.replace('T', ' ').slice(0, 16) : 'never'}`}
        />
      ),
    },
    { title: 'Uptime', sort: 'uptimeSeconds', cell: (d) => uptime(d.uptimeSeconds) },
    { title: 'Remote assist', sort: 'remoteAssist', cell: (d) => (d.remoteAssist ? 'On' : 'Off') },
    { title: 'Organization', sort: 'organization', cell: (d) => orgs.nameOf(d.organization) },
    { title: 'Command', cell: (d) => <CommandState device={d} watched={watched.has(keyOf(d))} /> },
  ];

  return (
    <PageSection>
      <Title headingLevel="h1">Devices</Title>
      <ServerTable
        label="Devices"
        rows={rows}
        totalCount={devices.data?.totalCount ?? 0}
        rowKey={keyOf}
        rowName={nameOf}
        columns={columns}
        paging={{ page, perPage, onChange: (p, n) => (setPage(p), setPerPage(n)) }}
        sort={{ value: sort, onChange: (s) => (setSort(s), setPage(1)) }}
        actions={commands.map((c) => ({ id: c.type, label: c.label }))}
        run={(a, targets) => run(a.id as CommandType, targets)}
        progress={bulk.progress}
        results={bulk.results}
        error={devices.error ?? bulk.error ?? orgs.error}
        onRetry={() => void devices.refetch()}
        loaded={devices.isSuccess}
        emptyText="No device matches."
        filters={
          <>
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
              <FormSelect className="mtp-short-pick" aria-label="Status" value={f.status} onChange={(_e, v) => set({ status: v as DeviceFilters['status'] })}>
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
          </>
        }
        tools={
          <>
            {can(me, 'commands.read') && (
              <ToolbarItem>
                <Link to="/commands" className="pf-v6-c-button pf-m-secondary">
                  Saved commands
                </Link>
              </ToolbarItem>
            )}
            {can(me, 'devices.update') && (
              <ToolbarItem>
                <Button onClick={() => setAdding(true)}>Add a device</Button>
              </ToolbarItem>
            )}
          </>
        }
      />
      {adding && <AddDeviceModal pid={pid} orgs={orgs.options} onClose={() => setAdding(false)} />}
    </PageSection>
  );
}
