// The launched org console: the same UI narrowed to one org through the org-scoped launch
// session (cookie mtp_launch, selected by X-MTP-Console: org), with a banner and a way back.
import { Banner, Button, Flex, Label, Page, PageSection, Title } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useQuery } from '@tanstack/react-query';
import { useNavigate, useParams } from 'react-router';
import { rawFetch } from '../api/client';
import { ErrorAlert } from '../components/ErrorAlert';

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
  const users = useQuery({
    queryKey: ['console-users', orgId],
    queryFn: async () => {
      const r = await rawFetch('/api/systemusers?limit=100', { headers: { 'x-org-id': orgId } });
      return (await r.json()) as { results?: OrgUser[]; totalCount?: number };
    },
    retry: false,
  });
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
        <ErrorAlert error={users.error} onRetry={() => void users.refetch()} />
        {users.error && (
          <Button variant="link" onClick={() => navigate('/organizations')}>
            The launch session ended: launch the organization again
          </Button>
        )}
        <Table aria-label="Users of the organization" variant="compact">
          <Thead>
            <Tr>
              <Th>Username</Th>
              <Th>Email</Th>
              <Th>State</Th>
            </Tr>
          </Thead>
          <Tbody>
            {(users.data?.results ?? []).map((u) => (
              <Tr key={u.id}>
                <Td dataLabel="Username">{u.username}</Td>
                <Td dataLabel="Email">{u.email}</Td>
                <Td dataLabel="State">
                  {u.state} {u.account_locked ? <Label color="red">Locked</Label> : null}
                </Td>
              </Tr>
            ))}
          </Tbody>
        </Table>
      </PageSection>
    </Page>
  );
}
