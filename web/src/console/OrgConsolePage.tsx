// The launched org console: the same UI narrowed to one org through the org-scoped launch
// session (cookie mtp_launch, selected by X-MTP-Console: org), with a banner and a way back;
// the org's users paged by the server (an org may have thousands).
import { Banner, Button, Flex, Label, Page, PageSection, Title } from '@patternfly/react-core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';
import { rawFetch } from '../api/client';
import { ServerTable, type Column } from '../components/ServerTable';

interface OrgUser {
  id: string;
  username?: string;
  email?: string;
  state?: string;
  account_locked?: boolean;
}

export function OrgConsolePage() {
  const { orgId = '' } = useParams();
  const navigate = useNavigate();
  const name = sessionStorage.getItem('mtp.console.name') ?? orgId;
  const [page, setPage] = useState(1);
  const [perPage, setPerPage] = useState(50);
  const [sort, setSort] = useState('username');
  const users = useQuery({
    queryKey: ['console-users', orgId, page, perPage, sort],
    queryFn: async () => {
      const q = new URLSearchParams({ limit: String(perPage), skip: String((page - 1) * perPage), sort });
      const r = await rawFetch(`/api/systemusers?${q.toString()}`, { headers: { 'x-org-id': orgId } });
      return (await r.json()) as { results?: OrgUser[]; totalCount?: number };
    },
    retry: false,
    placeholderData: (prev) => prev,
  });
  const columns: Column<OrgUser>[] = [
    { title: 'Username', sort: 'username', cell: (u) => u.username },
    { title: 'Email', sort: 'email', cell: (u) => u.email },
    {
      title: 'State',
      sort: 'state',
      cell: (u) => (
        <>
          {u.state} {u.account_locked ? <Label color="red">Locked</Label> : null}
        </>
      ),
    },
  ];
  return (
    <Page>
      <Banner color="purple" screenReaderText="Organization console">
        <Flex justifyContent={{ default: 'justifyContentSpaceBetween' }}>
          <span>
            You are in the console of <strong>{name}</strong>: everything here reaches this one organization only.
          </span>
          <Button variant="link" isInline onClick={() => navigate('/organizations')}>
            Back to MTP
          </Button>
        </Flex>
      </Banner>
      <PageSection>
        <Title headingLevel="h1">{name}</Title>
        <p>Users of this organization ({users.data?.totalCount ?? '…'})</p>
        {users.error && (
          <Button variant="link" onClick={() => navigate('/organizations')}>
            The launch session ended: launch the organization again
          </Button>
        )}
        <ServerTable
          label="Users of the organization"
          rows={users.data?.results ?? []}
          totalCount={users.data?.totalCount ?? 0}
          rowKey={(u) => u.id}
          rowName={(u) => u.username ?? u.id}
          columns={columns}
          paging={{ page, perPage, onChange: (p, n) => (setPage(p), setPerPage(n)) }}
          sort={{ value: sort, onChange: (v) => (setSort(v), setPage(1)) }}
          error={users.error}
          onRetry={() => void users.refetch()}
          loaded={users.isSuccess}
          emptyText="This organization has no users yet."
        />
      </PageSection>
    </Page>
  );
}
