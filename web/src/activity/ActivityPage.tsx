// Activity: the provider's events newest first, filtered by time range, event type, initiator
// and organization (Apply), paged by `search_after`; each event's changes in a readable list;
// Download CSV or JSON of exactly the filtered set.
import {
  Button,
  Flex,
  FormSelect,
  FormSelectOption,
  Label,
  PageSection,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarGroup,
  ToolbarItem,
} from '@patternfly/react-core';
import { ExpandableRowContent, Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import { Link } from 'react-router';
import { can } from '../auth/session';
import { ErrorAlert } from '../components/ErrorAlert';
import { useMeOutlet } from '../components/RequireAction';
import { AdminTypeahead } from '../components/AdminTypeahead';
import { OrgTypeahead } from '../components/OrgTypeahead';
import { useOrgNames } from '../components/useOrgNames';
import { activityQuery, downloadActivity, useActivity, type ActivityEvent, type ActivityFilters } from './api';
import { EVENT_TYPES } from './eventTypes';

const LIMIT = 25;
const show = (v: unknown) => (v === null || v === undefined || v === '' ? '(none)' : typeof v === 'object' ? JSON.stringify(v) : String(v));

function Changes({ e }: { e: ActivityEvent }) {
  const ch = e.changes ?? [];
  return (
    <dl className="mtp-changes" aria-label="Event details">
      <dt>Resource</dt>
      <dd>{e.resource ? `${e.resource.type ?? ''} ${e.resource.id ?? ''}` : '(none)'}</dd>
      <dt>Client IP</dt>
      <dd>{show(e.clientIp)}</dd>
      <dt>Sign-in method</dt>
      <dd>{show(e.authMethod)}</dd>
      <dt>Changes</dt>
      <dd>
        {ch.length === 0 ? (
          'none recorded'
        ) : (
          <ul>
            {ch.map((c, i) => (
              <li key={i}>
                <strong>{c.field}</strong>: {show(c.from)} → {show(c.to)}
              </li>
            ))}
          </ul>
        )}
      </dd>
    </dl>
  );
}

export function ActivityPage() {
  const me = useMeOutlet();
  const pid = me.provider ?? '';
  const [draft, setDraft] = useState<ActivityFilters>({ range: '7d', eventType: '', initiatedBy: '', organization: '' });
  const [applied, setApplied] = useState<{ f: ActivityFilters; now: number }>({ f: draft, now: Date.now() });
  const [cursors, setCursors] = useState<string[]>(['']); // search_after of each page shown so far
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const [orgName, setOrgName] = useState('');
  const [adminEmail, setAdminEmail] = useState('');
  const query = activityQuery(applied.f, applied.now);
  const after = cursors[cursors.length - 1] ?? '';
  const events = useActivity(pid, query, after, LIMIT);
  const rows = events.data?.results ?? [];
  const orgs = useOrgNames(pid, rows.map((e) => e.organization));
  const next = events.data?.searchAfter;

  function apply() {
    setApplied({ f: draft, now: Date.now() });
    setCursors(['']);
    setExpanded(new Set());
  }
  async function download(format: 'csv' | 'json') {
    setDownloadError(null);
    try {
      await downloadActivity(pid, query, format);
    } catch (e) {
      setDownloadError(e);
    }
  }
  const pick = (label: string, value: string, onChange: (v: string) => void, options: { value: string; label: string }[], className?: string) => (
    <ToolbarItem>
      <FormSelect className={className} aria-label={label} value={value} onChange={(_e, v) => onChange(v)}>
        {options.map((o) => (
          <FormSelectOption key={o.value} value={o.value} label={o.label} />
        ))}
      </FormSelect>
    </ToolbarItem>
  );

  return (
    <PageSection>
      <Title headingLevel="h1">Activity</Title>
      <Toolbar>
        <ToolbarContent>
          {/* Four filters and Apply: on a laptop screen they wrap rather than push Apply out. */}
          <ToolbarGroup style={{ flexWrap: 'wrap', rowGap: 8 }}>
            {pick('Time range', draft.range, (v) => setDraft({ ...draft, range: v }), [
              { value: '1h', label: 'Last hour' },
              { value: '24h', label: 'Last 24 hours' },
              { value: '7d', label: 'Last 7 days' },
              { value: '30d', label: 'Last 30 days' },
              { value: '90d', label: 'Last 90 days' },
              { value: 'all', label: 'All time' },
            ], 'mtp-range-pick')}
            {pick('Event type', draft.eventType, (v) => setDraft({ ...draft, eventType: v }), [
              { value: '', label: 'Any event type' },
              ...EVENT_TYPES.map((t) => ({ value: t, label: t.replace(/_/g, ' ') })),
            ], 'mtp-event-pick')}
            <ToolbarItem style={{ minWidth: '14rem' }}>
              <AdminTypeahead
                pid={pid}
                label="Initiated by"
                allLabel="Anyone"
                value={draft.initiatedBy}
                valueName={adminEmail}
                onChange={(id, email) => {
                  setAdminEmail(email);
                  setDraft({ ...draft, initiatedBy: id });
                }}
              />
            </ToolbarItem>
            <ToolbarItem style={{ minWidth: '14rem' }}>
              <OrgTypeahead
                pid={pid}
                label="Organization"
                allLabel="All organizations"
                value={draft.organization}
                valueName={orgName}
                onChange={(id, name) => {
                  setOrgName(name);
                  setDraft({ ...draft, organization: id });
                }}
              />
            </ToolbarItem>
            <ToolbarItem>
              <Button onClick={apply}>Apply</Button>
            </ToolbarItem>
          </ToolbarGroup>
          {can(me, 'orgs.read') && (
            <ToolbarGroup>
              <ToolbarItem>
                <Link to="/reports" className="pf-v6-c-button pf-m-link">
                  Reports
                </Link>
              </ToolbarItem>
            </ToolbarGroup>
          )}
          {can(me, 'activity.export') && (
            <ToolbarGroup>
              <ToolbarItem>
                <Button variant="secondary" onClick={() => void download('csv')}>
                  Download CSV
                </Button>
              </ToolbarItem>
              <ToolbarItem>
                <Button variant="secondary" onClick={() => void download('json')}>
                  Download JSON
                </Button>
              </ToolbarItem>
            </ToolbarGroup>
          )}
        </ToolbarContent>
      </Toolbar>
      <ErrorAlert error={events.error ?? downloadError} onRetry={() => void events.refetch()} />
      <Table aria-label="Activity" variant="compact">
        <Thead>
          <Tr>
            <Th screenReaderText="Details" />
            <Th>Time (UTC)</Th>
            <Th>Event type</Th>
            <Th>Initiated by</Th>
            <Th>Organization</Th>
            <Th>Resource</Th>
            <Th modifier="fitContent">Result</Th>
          </Tr>
        </Thead>
        {rows.map((e, i) => {
          const id = e.id ?? String(i);
          const isOpen = expanded.has(id);
          return (
            <Tbody key={id} isExpanded={isOpen}>
              <Tr>
                <Td
                  expand={{
                    rowIndex: i,
                    isExpanded: isOpen,
                    onToggle: () => {
                      const n = new Set(expanded);
                      if (isOpen) n.delete(id);
                      else n.add(id);
                      setExpanded(n);
                    },
                    expandId: `event-${i}`,
                  }}
                />
                <Td dataLabel="Time (UTC)">{e.timestamp?.replace('T', ' ').replace('Z', '')}</Td>
                <Td dataLabel="Event type">{e.eventType}</Td>
                <Td dataLabel="Initiated by">{e.initiatedBy?.email || e.initiatedBy?.type || ''}</Td>
                <Td dataLabel="Organization">{e.organization ? orgs.nameOf(e.organization) : ''}</Td>
                <Td dataLabel="Resource">{e.resource?.type ?? ''}</Td>
                <Td dataLabel="Result">{e.success === false ? <Label color="red" isCompact>Failed</Label> : <Label color="green" isCompact>OK</Label>}</Td>
              </Tr>
              <Tr isExpanded={isOpen}>
                <Td colSpan={7}>
                  <ExpandableRowContent>{isOpen && <Changes e={e} />}</ExpandableRowContent>
                </Td>
              </Tr>
            </Tbody>
          );
        })}
      </Table>
      {events.isSuccess && rows.length === 0 && <p>No event matches.</p>}
      <Flex spaceItems={{ default: 'spaceItemsSm' }} style={{ marginTop: 12 }}>
        <Button variant="secondary" isDisabled={cursors.length <= 1} onClick={() => setCursors(cursors.slice(0, -1))}>
          Newer
        </Button>
        <Button variant="secondary" isDisabled={!next} onClick={() => next && setCursors([...cursors, next])}>
          Older
        </Button>
        <span>Page {cursors.length}</span>
      </Flex>
    </PageSection>
  );
}
