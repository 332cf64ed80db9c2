// Add or edit an administrator: Details (name, email, MFA), then Permissions & access (role,
// API access, all organizations or per-org access with a role and an expiry). Each access row
// finds its org with the server-side type-ahead (a provider may have 10,000 orgs); the names
// of an edited admin's grants are looked up by id.
import {
  Button,
  Checkbox,
  DatePicker,
  Flex,
  Form,
  FormGroup,
  FormSelect,
  FormSelectOption,
  Modal,
  ModalBody,
  ModalHeader,
  Tab,
  Tabs,
  TabTitleText,
  TextInput,
} from '@patternfly/react-core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { api, call } from '../api/client';
import { fieldOf, ifMatch } from '../api/errors';
import { FieldError } from '../auth/SignInPage';
import { FormFooter } from '../components/FormModal';
import { ErrorAlert, isStale } from '../components/ErrorAlert';
import { OrgTypeahead } from '../components/OrgTypeahead';
import { useOrgNames } from '../components/useOrgNames';
import { ROLES } from './roles';
import type { Admin, Grant } from './api';

export function AdminFormModal({ pid, admin, onClose, onSaved }: { pid: string; admin?: Admin; onClose: () => void; onSaved: (text: string) => void }) {
  const qc = useQueryClient();
  const editing = !!admin;
  const [tab, setTab] = useState<string | number>(0);
  const [firstname, setFirstname] = useState(admin?.firstname ?? '');
  const [lastname, setLastname] = useState(admin?.lastname ?? '');
  const [email, setEmail] = useState(admin?.email ?? '');
  const [mfa, setMfa] = useState(!!admin?.enableMultiFactor);
  const [role, setRole] = useState(admin?.roleName ?? 'help_desk');
  const [apiAccess, setApiAccess] = useState(!!admin?.apiKeyAllowed);
  const [allOrgs, setAllOrgs] = useState(!!admin?.allOrganizations);
  const [grants, setGrants] = useState<Grant[]>([]);
  // The version this edit is made from (If-Match); a 412 reloads the admin into the form.
  const [version, setVersion] = useState(admin?.version);
  const reload = async () => {
    const a = (await call(api.GET('/api/v2/providers/{pid}/administrators/{id}', { params: { path: { pid, id: admin!.id ?? '' } } }))) as Admin;
    setFirstname(a.firstname ?? '');
    setLastname(a.lastname ?? '');
    setEmail(a.email ?? '');
    setMfa(!!a.enableMultiFactor);
    setRole(a.roleName ?? 'help_desk');
    setApiAccess(!!a.apiKeyAllowed);
    setAllOrgs(!!a.allOrganizations);
    setVersion(a.version);
    void qc.invalidateQueries({ queryKey: ['admins'] });
  };
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  // Names of the orgs picked in this form, then of the grants loaded (looked up by id).
  const [picked, setPicked] = useState<Record<string, string>>({});
  const { nameOf } = useOrgNames(pid, grants.map((g) => g.organization));
  // The current grants of an edited admin.
  useQuery({
    queryKey: ['admin-grants', admin?.id],
    queryFn: async () => {
      const r = (await call(api.GET('/api/v2/administrators/{id}/organizationlinks', { params: { path: { id: admin!.id ?? '' } } }))) as { results?: Grant[] } | Grant[];
      const list = Array.isArray(r) ? r : r.results ?? [];
      setGrants(list.map((g) => ({ organization: g.organization, ...(g.roleName ? { roleName: g.roleName } : {}), ...(g.expiresAt ? { expiresAt: g.expiresAt } : {}) })));
      return list;
    },
    enabled: editing && !admin?.allOrganizations,
  });

  const save = useMutation({
    mutationFn: async () => {
      const body = {
        email: email.trim(),
        firstname: firstname.trim(),
        lastname: lastname.trim(),
        roleName: role,
        enableMultiFactor: mfa,
        apiKeyAllowed: apiAccess,
        allOrganizations: allOrgs,
        organizations: allOrgs ? [] : grants,
      };
      if (editing)
        await call(
          api.PUT('/api/v2/providers/{pid}/administrators/{id}', {
            params: { path: { pid, id: admin!.id ?? '' }, header: ifMatch(version) as never },
            body: body as never,
          }),
        );
      else await call(api.POST('/api/v2/providers/{pid}/administrators', { params: { path: { pid } }, body: body as never }));
    },
    onSuccess: () => {
      void qc.invalidateQueries({ queryKey: ['admin-grants'] });
      onSaved(editing ? `${email} was saved.` : `${email} was added; an activation email is on its way.`);
      onClose();
    },
    onError: (e) => {
      if (isStale(e)) {
        setTab(0);
        void reload().catch(() => undefined);
        return;
      }
      const f = fieldOf(e);
      if (f) {
        setInvalid({ [f]: (e as Error).message });
        setTab(['email', 'firstname', 'lastname', 'enableMultiFactor'].includes(f) ? 0 : 1);
      }
    },
  });

  function submit() {
    const bad: Record<string, string> = {};
    if (!/^\S+@\S+\.\S+$/.test(email.trim())) bad.email = 'Enter a valid email address.';
    if (!allOrgs && grants.some((g) => !g.organization)) bad.organizations = 'Choose an organization for every row.';
    setInvalid(bad);
    if (bad.email) setTab(0);
    else if (bad.organizations) setTab(1);
    if (!Object.keys(bad).length) save.mutate();
  }

  const setGrant = (i: number, g: Partial<Grant>) => setGrants(grants.map((x, k) => (k === i ? { ...x, ...g } : x)));
  return (
    <Modal isOpen onClose={onClose} variant="medium" aria-labelledby="admin-form-title">
      <ModalHeader title={editing ? `Edit ${admin?.email}` : 'Add administrator'} labelId="admin-form-title" />
      <ModalBody>
        {save.error && !fieldOf(save.error) ? <ErrorAlert error={save.error} /> : null}
        <Tabs activeKey={tab} onSelect={(_e, k) => setTab(k)} aria-label="Administrator form">
          <Tab eventKey={0} title={<TabTitleText>Details</TabTitleText>}>
            <Form style={{ marginTop: 16 }} onSubmit={(e) => e.preventDefault()}>
              <FormGroup label="First name" fieldId="adm-first">
                <TextInput id="adm-first" value={firstname} onChange={(_e, v) => setFirstname(v)} />
              </FormGroup>
              <FormGroup label="Last name" fieldId="adm-last">
                <TextInput id="adm-last" value={lastname} onChange={(_e, v) => setLastname(v)} />
              </FormGroup>
              <FormGroup label="Email" isRequired fieldId="adm-email">
                <TextInput id="adm-email" type="email" value={email} onChange={(_e, v) => setEmail(v)} validated={invalid.email ? 'error' : 'default'} />
                {invalid.email && <FieldError text={invalid.email} />}
              </FormGroup>
              <FormGroup fieldId="adm-mfa">
                <Checkbox id="adm-mfa" label="Require multi-factor authentication (TOTP) at sign-in" isChecked={mfa} onChange={(_e, v) => setMfa(v)} />
              </FormGroup>
            </Form>
          </Tab>
          <Tab eventKey={1} title={<TabTitleText>Permissions &amp; access</TabTitleText>}>
            <Form style={{ marginTop: 16 }} onSubmit={(e) => e.preventDefault()}>
              <FormGroup label="Role" isRequired fieldId="adm-role">
                <FormSelect id="adm-role" value={role} onChange={(_e, v) => setRole(v)} validated={invalid.roleName ? 'error' : 'default'}>
                  {ROLES.map((r) => <FormSelectOption key={r.name} value={r.name} label={r.label} />)}
                </FormSelect>
                {invalid.roleName && <FieldError text={invalid.roleName} />}
              </FormGroup>
              <FormGroup fieldId="adm-api">
                <Checkbox id="adm-api" label="Enable API access" isChecked={apiAccess} onChange={(_e, v) => setApiAccess(v)} />
                {invalid.apiKeyAllowed && <FieldError text={invalid.apiKeyAllowed} />}
              </FormGroup>
              <FormGroup label="Organization access" fieldId="adm-all">
                <Checkbox id="adm-all" label="All organizations (present and future)" isChecked={allOrgs} onChange={(_e, v) => setAllOrgs(v)} />
                {invalid.allOrganizations && <FieldError text={invalid.allOrganizations} />}
              </FormGroup>
              {!allOrgs && (
                <>
                  {grants.map((g, i) => (
                    <Flex key={i} alignItems={{ default: 'alignItemsFlexEnd' }}>
                      <FormGroup label="Organization" fieldId={`grant-org-${i}`}>
                        <OrgTypeahead
                          pid={pid}
                          label="Organization"
                          value={g.organization}
                          valueName={picked[g.organization] ?? nameOf(g.organization)}
                          placeholder="Type to choose…"
                          onChange={(id, name) => {
                            if (id) setPicked({ ...picked, [id]: name });
                            setGrant(i, { organization: id });
                          }}
                        />
                      </FormGroup>
                      <FormGroup label="Role in this organization" fieldId={`grant-role-${i}`}>
                        <FormSelect id={`grant-role-${i}`} value={g.roleName ?? ''} onChange={(_e, v) => setGrant(i, { roleName: v || undefined })}>
                          <FormSelectOption value="" label="Their role" />
                          {ROLES.map((r) => <FormSelectOption key={r.name} value={r.name} label={r.label} />)}
                        </FormSelect>
                      </FormGroup>
                      <FormGroup label="Expires" fieldId={`grant-exp-${i}`}>
                        <DatePicker
                          value={g.expiresAt?.slice(0, 10) ?? ''}
                          inputProps={{ id: `grant-exp-${i}`, 'aria-label': 'Access expires on' }}
                          onChange={(_e, v) => setGrant(i, { expiresAt: /^\d{4}-\d{2}-\d{2}$/.test(v) ? `${v}T23:59:59Z` : undefined })}
                        />
                      </FormGroup>
                      <Button variant="link" isDanger onClick={() => setGrants(grants.filter((_, k) => k !== i))} aria-label={`Remove access row ${i + 1}`}>
                        Remove
                      </Button>
                    </Flex>
                  ))}
                  {(invalid.organizations || invalid.organization) && <FieldError text={invalid.organizations ?? invalid.organization ?? ''} />}
                  <Button variant="secondary" onClick={() => setGrants([...grants, { organization: '' }])}>
                    Add organization access
                  </Button>
                </>
              )}
            </Form>
          </Tab>
        </Tabs>
      </ModalBody>
      <FormFooter submitLabel="Save" onSubmit={submit} onClose={onClose} pending={save.isPending} />
    </Modal>
  );
}
