// Reports: request one (users, devices, admins or activity; CSV or JSON; one org or all the
// admin reaches; activity over a period), see each one's state as the report job builds it,
// and download it when ready.
import {
  Breadcrumb,
  BreadcrumbItem,
  Button,
  Card,
  CardBody,
  CardTitle,
  Flex,
  FlexItem,
  Form,
  FormGroup,
  FormSelect,
  FormSelectOption,
  Label,
  PageSection,
  TextInput,
  Title,
} from '@patternfly/react-core';
import { useState } from 'react';
import { Link } from 'react-router';
import { FieldError } from '../auth/SignInPage';
import { ErrorAlert } from '../components/ErrorAlert';
import { OrgTypeahead } from '../components/OrgTypeahead';
import { useMeOutlet } from '../components/RequireAction';
import { ServerTable, type Column } from '../components/ServerTable';
import { useOrgNames } from '../components/useOrgNames';
import { downloadReport, useReports, useRequestReport, type Report, type ReportRequest } from './api';

const KINDS = [
  { value: 'users', label: 'Users' },
  { value: 'devices', label: 'Devices' },
  { value: 'admins', label: 'Administrators' },
  { value: 'activity', label: 'Activity' },
] as const;

const localInput = (d: Date) => {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}T${p(d.getHours())}:${p(d.getMinutes())}`;
};

function StatusLabel({ r }: { r: Report }) {
  if (r.status === 'ready') return <Label color="green">Ready</Label>;
  if (r.status === 'failed') return <Label color="red">Failed</Label>;
  return <Label color="blue">Being built</Label>;
}

export function ReportsPage() {
  const me = useMeOutlet();
  const pid = me.provider ?? '';
  const [page, setPage] = useState(1);
  const [perPage, setPerPage] = useState(10);
  const list = useReports(pid, page, perPage);
  const request = useRequestReport(pid);
  const orgs = useOrgNames(pid, (list.data?.results ?? []).map((r) => r.organization));
  const [kind, setKind] = useState<ReportRequest['kind']>('users');
  const [format, setFormat] = useState<ReportRequest['format']>('csv');
  const [org, setOrg] = useState({ id: '', name: '' });
  const [from, setFrom] = useState(() => localInput(new Date(Date.now() - 7 * 86400_000)));
  const [to, setTo] = useState(() => localInput(new Date()));
  const [invalid, setInvalid] = useState('');
  const [downloadError, setDownloadError] = useState<unknown>(null);

  const submit = () => {
    const body: ReportRequest = { kind, format, ...(org.id ? { organization: org.id } : {}) };
    if (kind === 'activity') {
      const f = new Date(from);
      const t = new Date(to);
      if (Number.isNaN(f.getTime()) || Number.isNaN(t.getTime()) || f >= t) {
        setInvalid('Choose a period whose start is before its end.');
        return;
      }
      body.from = f.toISOString();
      body.to = t.toISOString();
    }
    setInvalid('');
    request.mutate(body);
  };

  const columns: Column<Report>[] = [
    { title: 'Report', cell: (r) => `${KINDS.find((k) => k.value === r.kind)?.label ?? r.kind} (${r.format.toUpperCase()})` },
    {
      title: 'Organizations',
      cell: (r) => (r.organization ? orgs.nameOf(r.organization) : `${r.organizations.length} organization${r.organizations.length === 1 ? '' : 's'}`),
    },
    { title: 'Requested', cell: (r) => new Date(r.created).toLocaleString() },
    {
      title: 'Status',
      cell: (r) => (
        <>
          <StatusLabel r={r} />
          {r.status === 'failed' && r.error ? ` ${r.error}` : ''}
        </>
      ),
    },
    { title: 'Rows', cell: (r) => (r.status === 'ready' ? r.rowCount : '') },
    {
      title: 'Download',
      cell: (r) =>
        r.status === 'ready' ? (
          <Button
            variant="link"
            isInline
            aria-label={`Download the ${r.kind} report of ${new Date(r.created).toLocaleString()}`}
            onClick={() => {
              setDownloadError(null);
              downloadReport(pid, r).catch(setDownloadError);
            }}
          >
            Download
          </Button>
        ) : (
          ''
        ),
    },
  ];

  return (
    <PageSection>
      <Breadcrumb>
        <BreadcrumbItem>
          <Link to="/activity">Activity</Link>
        </BreadcrumbItem>
        <BreadcrumbItem isActive>Reports</BreadcrumbItem>
      </Breadcrumb>
      <Title headingLevel="h1">Reports</Title>
      <Card aria-label="Request a report" className="mtp-gap-bottom" component="section">
        <CardTitle component="h2">Request a report</CardTitle>
        <CardBody>
          <ErrorAlert error={request.error} />
          <Form
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
          >
            <Flex alignItems={{ default: 'alignItemsFlexEnd' }}>
              <FlexItem>
                <FormGroup label="Report" fieldId="report-kind">
                  <FormSelect id="report-kind" value={kind} onChange={(_e, v) => setKind(v as ReportRequest['kind'])}>
                    {KINDS.map((k) => (
                      <FormSelectOption key={k.value} value={k.value} label={k.label} />
                    ))}
                  </FormSelect>
                </FormGroup>
              </FlexItem>
              <FlexItem>
                <FormGroup label="Format" fieldId="report-format">
                  <FormSelect id="report-format" value={format} onChange={(_e, v) => setFormat(v as ReportRequest['format'])}>
                    <FormSelectOption value="csv" label="CSV" />
                    <FormSelectOption value="json" label="JSON" />
                  </FormSelect>
                </FormGroup>
              </FlexItem>
              <FlexItem style={{ minWidth: '16rem' }}>
                <FormGroup label="Organization" fieldId="report-org">
                  <OrgTypeahead pid={pid} label="Organization of the report" value={org.id} valueName={org.name} onChange={(id, name) => setOrg({ id, name })} allLabel="All my organizations" />
                </FormGroup>
              </FlexItem>
              {kind === 'activity' && (
                <>
                  <FlexItem>
                    <FormGroup label="From" fieldId="report-from">
                      <TextInput id="report-from" type="datetime-local" value={from} onChange={(_e, v) => setFrom(v)} validated={invalid ? 'error' : 'default'} />
                    </FormGroup>
                  </FlexItem>
                  <FlexItem>
                    <FormGroup label="To" fieldId="report-to">
                      <TextInput id="report-to" type="datetime-local" value={to} onChange={(_e, v) => setTo(v)} validated={invalid ? 'error' : 'default'} />
                    </FormGroup>
                  </FlexItem>
                </>
              )}
              <FlexItem>
                <Button type="submit" isLoading={request.isPending} isDisabled={request.isPending}>
                  Request report
                </Button>
              </FlexItem>
            </Flex>
            {invalid && <FieldError text={invalid} />}
          </Form>
        </CardBody>
      </Card>
      <ServerTable
        label="Reports"
        rows={list.data?.results ?? []}
        totalCount={list.data?.totalCount ?? 0}
        rowKey={(r) => r.id}
        rowName={(r) => `${r.kind} report ${r.created}`}
        columns={columns}
        paging={{ page, perPage, onChange: (p, n) => (setPage(p), setPerPage(n)) }}
        error={list.error ?? downloadError}
        onRetry={() => void list.refetch()}
        loaded={list.isSuccess}
        emptyText="No report yet: request one above. Reports are kept 30 days."
      />
    </PageSection>
  );
}
