// "Add a device": the org's connect key and the exact agent command line to run on the device.
import { Button, ClipboardCopy, Form, FormGroup, Modal, ModalBody, ModalFooter, ModalHeader } from '@patternfly/react-core';
import { useState } from 'react';
import { ErrorAlert } from '../components/ErrorAlert';
import { OrgTypeahead } from '../components/OrgTypeahead';
import type { OrgOption } from '../components/useOrgNames';
import { useConnectKey } from './api';

export function AddDeviceModal({ pid, orgs, onClose }: { pid: string; orgs: OrgOption[]; onClose: () => void }) {
  // The first org the admin reaches is chosen at first; any other is found by name.
  const [org, setOrg] = useState({ id: orgs[0]?.id ?? '', name: orgs[0]?.name ?? '' });
  const key = useConnectKey(pid, org.id);
  const line = key.data?.connectKey ? `mtpctl agent --server ${window.location.origin} --connect-key ${key.data.connectKey}` : '';
  return (
    <Modal isOpen onClose={onClose} variant="medium" aria-labelledby="add-device-title">
      <ModalHeader title="Add a device" labelId="add-device-title" />
      <ModalBody>
        <Form onSubmit={(e) => e.preventDefault()}>
          <FormGroup label="Organization" fieldId="dev-org">
            <OrgTypeahead pid={pid} label="Organization of the device" value={org.id} valueName={org.name} onChange={(id, name) => setOrg({ id, name })} />
          </FormGroup>
        </Form>
        <ErrorAlert error={key.error} />
        {key.data?.connectKey && (
          <>
            <p>Connect key of the organization:</p>
            <ClipboardCopy isReadOnly hoverTip="Copy" clickTip="Copied" aria-label="Connect key" data-testid="connect-key">
              {key.data.connectKey}
            </ClipboardCopy>
            <p>Run this on the device, as root:</p>
            <ClipboardCopy isReadOnly hoverTip="Copy" clickTip="Copied" aria-label="Agent command" data-testid="agent-command">
              {line}
            </ClipboardCopy>
          </>
        )}
      </ModalBody>
      <ModalFooter>
        <Button variant="link" onClick={onClose}>
          Close
        </Button>
      </ModalFooter>
    </Modal>
  );
}
