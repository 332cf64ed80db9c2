import { Modal, ModalBody, ModalHeader } from '@patternfly/react-core';
import { ApiKeyPanel } from './ApiKeyPanel';

export function ApiKeyModal({ onClose }: { onClose: () => void }) {
  return (
    <Modal isOpen onClose={onClose} variant="medium" aria-labelledby="apikey-title">
      <ModalHeader title="My API key" labelId="apikey-title" />
      <ModalBody>
        <ApiKeyPanel />
      </ModalBody>
    </Modal>
  );
}
