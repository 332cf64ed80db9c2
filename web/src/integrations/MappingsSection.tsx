// Which PSA company and agreement addition (ConnectWise) or contract service (Autotask) bills
// each managed org. An admin who may change the integration adds a mapping (the org found by
// a server-side type-ahead) or removes one; the whole list is written back at once.
import { Button, Form, FormGroup, TextInput, Title } from '@patternfly/react-core';
import { Table, Tbody, Td, Th, Thead, Tr } from '@patternfly/react-table';
import { useState } from 'react';
import { ErrorAlert } from '../components/ErrorAlert';
import { OrgTypeahead } from '../components/OrgTypeahead';
import { mappingFields, useMappings, usePutMappings, type Integration, type Kind, type Mapping } from './api';

export function MappingsSection({ pid, integration, editable }: { pid: string; integration: Integration; editable: boolean }) {
  const kind = integration.kind as Kind;
  const fields = mappingFields(kind);
  const list = useMappings(pid, kind, true);
  const put = usePutMappings(pid, kind);
  const rows = list.data?.results ?? [];
  const empty = { organization: '', organizationName: '', psaCompanyId: '', psaCompanyName: '', agreement: '', service: '' };
  const [draft, setDraft] = useState(empty);
  const [missing, setMissing] = useState('');

  const add = () => {
    if (!draft.organization || !draft.psaCompanyId.trim() || !draft.agreement.trim() || !draft.service.trim()) {
      setMissing(`Choose an organization and enter the PSA company id, ${fields.agreementLabel.toLowerCase()} and ${fields.serviceLabel.toLowerCase()}.`);
      return;
    }
    setMissing('');
    const next: Mapping = {
      organization: draft.organization,
      psaCompanyId: draft.psaCompanyId.trim(),
      psaCompanyName: draft.psaCompanyName.trim(),
      [fields.agreement]: draft.agreement.trim(),
      [fields.service]: draft.service.trim(),
    };
    put.mutate([...rows.filter((m) => m.organization !== draft.organization), next], { onSuccess: () => setDraft(empty) });
  };
  const remove = (org: string) => put.mutate(rows.filter((m) => m.organization !== org));

  return (
    <section aria-label={`${integration.name} organization mappings`}>
      <Title headingLevel="h3" size="md">
        Organization mappings
      </Title>
      <ErrorAlert error={list.error ?? put.error} onRetry={() => void list.refetch()} />
      <Table aria-label={`${integration.name} mappings`} variant="compact">
        <Thead>
          <Tr>
            <Th>Organization</Th>
            <Th>PSA company</Th>
            <Th>{fields.agreementLabel}</Th>
            <Th>{fields.serviceLabel}</Th>
            {editable && <Th screenReaderText="Actions" />}
          </Tr>
        </Thead>
        <Tbody>
          {rows.map((m) => (
            <Tr key={m.organization}>
              <Td dataLabel="Organization">{m.organizationName || m.organization}</Td>
              <Td dataLabel="PSA company">
                {m.psaCompanyName ? `${m.psaCompanyName} (${m.psaCompanyId})` : m.psaCompanyId}
              </Td>
              <Td dataLabel={fields.agreementLabel}>{m[fields.agreement]}</Td>
              <Td dataLabel={fields.serviceLabel}>{m[fields.service]}</Td>
              {editable && (
                <Td isActionCell>
                  <Button variant="link" isInline isDisabled={put.isPending} onClick={() => remove(m.organization ?? '')} aria-label={`Remove the mapping of ${m.organizationName}`}>
                    Remove
                  </Button>
                </Td>
              )}
            </Tr>
          ))}
          {list.isSuccess && rows.length === 0 && (
            <Tr>
              <Td colSpan={editable ? 5 : 4}>No organization is mapped yet: a sync bills nothing until one is.</Td>
            </Tr>
          )}
        </Tbody>
      </Table>
      {editable && (
        <Form
          isHorizontal={false}
          className="mtp-mapping-form"
          onSubmit={(e) => {
            e.preventDefault();
            add();
          }}
        >
          <Title headingLevel="h4" size="md">
            Map an organization
          </Title>
          <div className="mtp-mapping-fields">
            <FormGroup label="Organization" fieldId={`map-org-${kind}`}>
              <OrgTypeahead
                pid={pid}
                label={`Organization to map to ${integration.name}`}
                value={draft.organization}
                valueName={draft.organizationName}
                onChange={(id, name) => setDraft({ ...draft, organization: id, organizationName: name })}
              />
            </FormGroup>
            <FormGroup label="PSA company id" fieldId={`map-company-${kind}`}>
              <TextInput id={`map-company-${kind}`} value={draft.psaCompanyId} onChange={(_e, v) => setDraft({ ...draft, psaCompanyId: v })} />
            </FormGroup>
            <FormGroup label="PSA company name" fieldId={`map-company-name-${kind}`}>
              <TextInput id={`map-company-name-${kind}`} value={draft.psaCompanyName} onChange={(_e, v) => setDraft({ ...draft, psaCompanyName: v })} />
            </FormGroup>
            <FormGroup label={fields.agreementLabel} fieldId={`map-agreement-${kind}`}>
              <TextInput id={`map-agreement-${kind}`} value={draft.agreement} onChange={(_e, v) => setDraft({ ...draft, agreement: v })} />
            </FormGroup>
            <FormGroup label={fields.serviceLabel} fieldId={`map-service-${kind}`}>
              <TextInput id={`map-service-${kind}`} value={draft.service} onChange={(_e, v) => setDraft({ ...draft, service: v })} />
            </FormGroup>
          </div>
          {missing && <ErrorAlert error={new Error(missing)} title="The mapping is incomplete" />}
          <div>
            <Button type="submit" variant="secondary" isLoading={put.isPending} isDisabled={put.isPending}>
              Save mapping
            </Button>
          </div>
        </Form>
      )}
    </section>
  );
}
