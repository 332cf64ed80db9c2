// A widget's detail list: who is affected in which org, with the seeds' actions on one row
// or in bulk (a progress bar while a bulk action runs, then one result per item).
import { Alert, Breadcrumb, BreadcrumbItem, Button, Label, PageSection, Title, ToolbarItem } from '@patternfly/react-core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link, useParams } from 'react-router';
import { api, call, rawFetch } from '../api/client';
import { can } from '../auth/session';
import { useMeOutlet } from '../components/RequireAction';
import { ServerTable, type Column } from '../components/ServerTable';
import { useBulkRun } from '../components/useBulkRun';
import { bulkUsers, type BulkAction } from '../users/api';
import { widgetInfo, type WidgetAction, type WidgetInfo } from './widgets';

type Row = Record<string, unknown>;

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
    case 'org':
      return [{ title: 'Organization', get: nameOf }, { title: 'Users', get: (r) => str(r.userCount) }, { title: 'Devices', get: (r) => str(r.deviceCount) }];
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
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const bulk = useBulkRun();

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
  const cols: Column<Row>[] = columns(info).map((c) => ({
    title: c.title,
    cell: (r) => (
      <>
        {c.title === 'State' && r.account_locked ? <Label color="red">Locked</Label> : null} {c.get(r)}
      </>
    ),
  }));

  async function run(action: WidgetAction, targets: Row[]) {
    await bulk.run(targets, BATCH, async (batch) => {
      // The users route answers {error: {message}} per item; the admins route a plain message.
      const answers: { status?: number; error?: string }[] =
        action.id === 'require_mfa'
          ? ((await call(api.POST('/api/v2/providers/{pid}/home/admins_without_mfa/actions', { params: { path: { pid } }, body: { admins: batch.map((b) => str(b.id)) } })))
              .results ?? [])
          : (await bulkUsers(pid, action.id as BulkAction, batch.map((b) => ({ organization: str(b.organization), id: str(b.id) })))).map((a) => ({
              status: a.status,
              error: a.error?.message,
            }));
      return batch.map((b, k) => ({ key: keyOf(b), label: nameOf(b), status: answers[k]?.status ?? 0, error: answers[k]?.error }));
    });
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
      setDownloadError(e);
    }
  }

  return (
    <PageSection>
      <Breadcrumb>
        <BreadcrumbItem>
          <Link to="/">Home</Link>
        </BreadcrumbItem>
        <BreadcrumbItem isActive>{info.label}</BreadcrumbItem>
      </Breadcrumb>
      <Title headingLevel="h1">{info.label}</Title>
      <ServerTable
        label={info.label}
        rows={rows}
        totalCount={list.data?.totalCount ?? 0}
        rowKey={keyOf}
        rowName={nameOf}
        columns={cols}
        paging={{ page, perPage, onChange: (p, n) => (setPage(p), setPerPage(n)) }}
        actions={actions.map((a) => ({ id: a.id, label: a.label }))}
        run={(a, targets) => run(actions.find((x) => x.id === a.id && x.label === a.label)!, targets)}
        progress={bulk.progress}
        results={bulk.results}
        error={list.error ?? bulk.error ?? downloadError}
        onRetry={() => void list.refetch()}
        loaded={list.isSuccess}
        emptyText="Nothing to show: no one is affected."
        tools={
          info.kind === 'report' && (
            <>
              <ToolbarItem>
                <Button variant="secondary" onClick={() => void download('csv')}>Export CSV</Button>
              </ToolbarItem>
              <ToolbarItem>
                <Button variant="secondary" onClick={() => void download('json')}>Export JSON</Button>
              </ToolbarItem>
              <ToolbarItem>
                <Link to="/reports" className="pf-v6-c-button pf-m-link">
                  All reports
                </Link>
              </ToolbarItem>
            </>
          )
        }
      />
    </PageSection>
  );
}
