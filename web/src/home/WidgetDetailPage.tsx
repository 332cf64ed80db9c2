// A widget's detail list: who is affected in which org, with the seeds' actions on one row
// or in bulk (a progress bar while a bulk action runs, then one result per item).
import {
  Alert,
  Breadcrumb,
  BreadcrumbItem,
  Button,
  Dropdown,
  DropdownItem,
  DropdownList,
  Label,
  MenuToggle,
  PageSection,
  Pagination,
  Progress,
  Title,
  Toolbar,
  ToolbarContent,
  ToolbarItem,
} from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, call, rawFetch } from '../api/client';
import { can } from '../auth/session';
import { ErrorAlert } from '../components/ErrorAlert';
import { useMeOutlet } from '../components/RequireAction';
import { widgetInfo, type WidgetAction, type WidgetInfo } from './widgets';

type Row = Record<string, unknown>;
interface ItemResult {
  key: string;
  label: string;
  status: number;
  error?: string;
}

const str = (v: unknown): string => (v === null || v === undefined ? '' : typeof v === 'object' ? JSON.stringify(v) : String(v));
const keyOf = (r: Row): string => `${str(r.organization)}/${str(r.id)}`;
const nameOf = (r: Row): string =>
  str(r.username || r.displayName || r.hostname || r.name || r.email || [r.firstname, r.lastname].filter(Boolean).join(' ') || r.id);

// The columns a kind of list shows.
function columns(info: WidgetInfo): { title: string; get: (r: Row) => string }[] {
  const org = { title: 'Organization', get: (r: Row) => str(r.organizationName || r.organization) };
  switch (info.kind) {
    case 'user':
      return [
        { title: 'User', get: nameOf },
        { title: 'Email', get: (r) => str(r.email) },
        org,
        { title: 'State', get: (r) => str(r.state) },
        { title: 'Password expires', get: (r) => str(r.password_expiration_date ?? r.passwordExpirationDate) },
      ];
    case 'device':
      return [
        { title: 'Device', get: nameOf },
        { title: 'OS', get: (r) => `${str(r.os)} ${str(r.version)}` },
        org,
        { title: 'Last contact', get: (r) => str(r.lastContact) || 'never' },
        { title: 'Uptime (days)', get: (r) => (r.uptimeSeconds ? String(Math.floor(Number(r.uptimeSeconds) / 86400)) : '') },
      ];
    case 'admin':
      return [
        { title: 'Administrator', get: nameOf },
        { title: 'Email', get: (r) => str(r.email) },
        { title: 'Role', get: (r) => str(r.roleName) },
        { title: 'MFA enrollment', get: (r) => (r.totpEnrolled ? 'Enrolled' : 'Not enrolled') },
      ];
    case 'mdm':
      return [org, { title: 'Item', get: (r) => str(r.item ?? r.kind ?? r.type) }, { title: 'Expires', get: (r) => str(r.expiresAt) }, { title: 'Status', get: (r) => str(r.status) }];
    case 'report':
      return [{ title: 'Report', get: nameOf }, org, { title: 'Format', get: (r) => str(r.format) }, { title: 'Ready at', get: (r) => str(r.readyAt) }];
    case 'release':
      return [{ title: 'OS', get: (r) => str(r.os) }, { title: 'Version', get: (r) => str(r.version) }, { title: 'Build', get: (r) => str(r.build) }, { title: 'Released', get: (r) => str(r.released ?? r.releasedAt) }];
  }
}

const BATCH = 5;

export function WidgetDetailPage() {
  const { widget = '' } = useParams();
  const me = useMeOutlet();
  const pid = me.provider ?? '';
  const info = widgetInfo(widget);
  const qc = useQueryClient();
  const [page, setPage] = useState(1);
  const [perPage, setPerPage] = useState(20);
  const [selected, setSelected] = useState<Set<string>>(new Set());
  const [open, setOpen] = useState(false);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [results, setResults] = useState<ItemResult[] | null>(null);
  const [actionError, setActionError] = useState<unknown>(null);

  const list = useQuery({
    queryKey: ['home', pid, widget, page, perPage],
    queryFn: () =>
      call(
        api.GET('/api/v2/providers/{pid}/home/{id}', {
          params: { path: { pid, id: widget as never }, query: { limit: perPage, skip: (page - 1) * perPage } },
        }),
      ) as Promise<{ results?: Row[]; totalCount?: number }>,
    enabled: !!info,
  });
  if (!info) return <PageSection><Alert variant="danger" isInline title="No such widget" /></PageSection>;
  const rows = list.data?.results ?? [];
  const actions = info.actions.filter((a) => can(me, a.needs));
  const cols = columns(info);

  async function run(action: WidgetAction, targets: Row[]) {
    setOpen(false);
    setResults(null);
    setActionError(null);
    setProgress({ done: 0, total: targets.length });
    const out: ItemResult[] = [];
    try {
      for (let i = 0; i < targets.length; i += BATCH) {
        const batch = targets.slice(i, i + BATCH);
        let answers: { status?: number; error?: string; id?: string }[] = [];
        if (action.id === 'require_mfa') {
          const r = await call(api.POST('/api/v2/providers/{pid}/home/admins_without_mfa/actions', { params: { path: { pid } }, body: { admins: batch.map((b) => str(b.id)) } }));
          answers = (r as { results?: typeof answers }).results ?? [];
        } else {
          const r = await call(
            api.POST('/api/v2/providers/{pid}/users/actions', {
              params: { path: { pid } },
              body: { action: action.id, users: batch.map((b) => ({ organization: str(b.organization), id: str(b.id) })) } as never,
            }),
          );
          answers = (r as { results?: typeof answers }).results ?? [];
        }
        batch.forEach((b, k) => out.push({ key: keyOf(b), label: nameOf(b), status: answers[k]?.status ?? 0, error: answers[k]?.error }));
        setProgress({ done: Math.min(i + BATCH, targets.length), total: targets.length });
      }
    } catch (e) {
      setActionError(e);
    }
    setResults(out);
    setProgress(null);
    setSelected(new Set());
    void qc.invalidateQueries({ queryKey: ['home'] });
  }

  async function download(format: 'csv' | 'json') {
    try {
      const r = await rawFetch(`/api/v2/providers/${encodeURIComponent(pid)}/home/reports_ready?format=${format}`);
      const blob = await r.blob();
      const a = document.createElement('a');
      a.href = URL.createObjectURL(blob);
      a.download = `reports.${format}`;
      a.click();
      URL.revokeObjectURL(a.href);
    } catch (e) {
      setActionError(e);
    }
  }

  const chosen = rows.filter((r) => selected.has(keyOf(r)));
  return (
    <PageSection>
      <Breadcrumb>
        <BreadcrumbItem>
          <Link to="/">Home</Link>
        </BreadcrumbItem>
        <BreadcrumbItem isActive>{info.label}</BreadcrumbItem>
      </Breadcrumb>
      <Title headingLevel="h1">{info.label}</Title>
      <ErrorAlert error={list.error ?? actionError} onRetry={() => void list.refetch()} />
      {progress && (
        <Progress value={(100 * progress.done) / Math.max(1, progress.total)} title={`Working: ${progress.done} of ${progress.total}`} aria-label="Bulk action progress" data-testid="bulk-progress" />
      )}
      {results && (
        <Alert variant={results.every((r) => r.status >= 200 && r.status < 300) ? 'success' : 'warning'} isInline title="Results" data-testid="bulk-results">
          <ul>
            {results.map((r) => (
              <li key={r.key}>
                {r.label}: {r.status >= 200 && r.status < 300 ? 'done' : `failed (${r.status}${r.error ? `: ${r.error}` : ''})`}
              </li>
            ))}
          </ul>
        </Alert>
      )}
      <Toolbar>
        <ToolbarContent>
          {actions.length > 0 && (
            <ToolbarItem>
              <Dropdown
                isOpen={open}
                onOpenChange={setOpen}
                toggle={(ref) => (
                  <MenuToggle ref={ref} onClick={() => setOpen(!open)} isDisabled={chosen.length === 0 || !!progress} isExpanded={open}>
                    Actions ({chosen.length} selected)
                  </MenuToggle>
                )}
              >
                <DropdownList>
                  {actions.map((a) => (
                    <DropdownItem key={a.id + a.label} onClick={() => void run(a, chosen)}>
                      {a.label}
                    </DropdownItem>
                  ))}
                </DropdownList>
              </Dropdown>
            </ToolbarItem>
          )}
          {info.kind === 'report' && (
            <>
              <ToolbarItem>
                <Button variant="secondary" onClick={() => void download('csv')}>Export CSV</Button>
              </ToolbarItem>
              <ToolbarItem>
                <Button variant="secondary" onClick={() => void download('json')}>Export JSON</Button>
              </ToolbarItem>
            </>
          )}
          <ToolbarItem variant="pagination" align={{ default: 'alignEnd' }}>
            <Pagination
              itemCount={list.data?.totalCount ?? 0}
              page={page}
              perPage={perPage}
              onSetPage={(_e, p) => setPage(p)}
              onPerPageSelect={(_e, n) => { setPerPage(n); setPage(1); }}
              perPageOptions={[{ title: '10', value: 10 }, { title: '20', value: 20 }, { title: '50', value: 50 }, { title: '100', value: 100 }]}
              isCompact
            />
          </ToolbarItem>
        </ToolbarContent>
      </Toolbar>
      <Table aria-label={info.label} variant="compact">
        <Thead>
          <Tr>
            {actions.length > 0 && (
              <Th
                select={{
                  onSelect: (_e, all) => setSelected(all ? new Set(rows.map(keyOf)) : new Set()),
                  isSelected: rows.length > 0 && chosen.length === rows.length,
                }}
                aria-label="Select all"
              />
            )}
            {cols.map((c) => (
              <Th key={c.title}>{c.title}</Th>
            ))}
            {actions.length > 0 && <Th screenReaderText="Row actions" />}
          </Tr>
        </Thead>
        <Tbody>
          {rows.map((r, i) => (
            <Tr key={keyOf(r) + i}>
              {actions.length > 0 && (
                <Td
                  select={{
                    rowIndex: i,
                    onSelect: (_e, sel) => {
                      const next = new Set(selected);
                      if (sel) next.add(keyOf(r));
                      else next.delete(keyOf(r));
                      setSelected(next);
                    },
                    isSelected: selected.has(keyOf(r)),
                  }}
                />
              )}
              {cols.map((c) => (
                <Td key={c.title} dataLabel={c.title}>
                  {c.title === 'State' && r.account_locked ? <Label color="red">Locked</Label> : null} {c.get(r)}
                </Td>
              ))}
              {actions.length > 0 && (
                <Td isActionCell>
                  {actions.map((a) => (
                    <Button key={a.id + a.label} variant="link" isInline onClick={() => void run(a, [r])} isDisabled={!!progress} style={{ marginRight: 8 }} aria-label={`${a.label}: ${nameOf(r)}`}>
                      {a.label}
                    </Button>
                  ))}
                </Td>
              )}
            </Tr>
          ))}
        </Tbody>
      </Table>
      {list.isSuccess && rows.length === 0 && <p>Nothing to show: no one is affected.</p>}
    </PageSection>
  );
}
