// A small modal form: the title, the API's error when it names no field, the fields, and the
// submit/cancel footer; and the text field that shows its own validation or API message.
import { Button, Form, FormGroup, Modal, ModalBody, ModalFooter, ModalHeader, TextInput } from '@patternfly/react-core';
import type { ReactNode } from 'react';
import { fieldOf } from '../api/errors';
import { FieldError } from '../auth/SignInPage';
import { ErrorAlert } from './ErrorAlert';

interface FormModalProps {
  id: string;
  title: string;
  submitLabel: string;
  onSubmit: () => void;
  onClose: () => void;
  pending: boolean;
  error: unknown;
  children: ReactNode;
}

export function FormModal({ id, title, submitLabel, onSubmit, onClose, pending, error, children }: FormModalProps) {
  return (
    <Modal isOpen onClose={onClose} variant="small" aria-labelledby={`${id}-title`}>
      <ModalHeader title={title} labelId={`${id}-title`} />
      <ModalBody>
        {error && !fieldOf(error) ? <ErrorAlert error={error} /> : null}
        <Form
          noValidate
          onSubmit={(e) => {
            e.preventDefault();
            onSubmit();
          }}
        >
          {children}
        </Form>
      </ModalBody>
      <FormFooter submitLabel={submitLabel} onSubmit={onSubmit} onClose={onClose} pending={pending} />
    </Modal>
  );
}

// The footer of every modal form: submit (busy while pending) and Cancel.
export function FormFooter({ submitLabel, onSubmit, onClose, pending }: { submitLabel: string; onSubmit: () => void; onClose: () => void; pending: boolean }) {
  return (
    <ModalFooter>
      <Button onClick={onSubmit} isLoading={pending} isDisabled={pending}>
        {submitLabel}
      </Button>
      <Button variant="link" onClick={onClose}>
        Cancel
      </Button>
    </ModalFooter>
  );
}

interface TextFieldProps {
  id: string;
  label: string;
  value: string;
  onChange: (value: string) => void;
  invalid?: string;
  required?: boolean;
  inputMode?: 'numeric' | 'text';
}

export function TextField({ id, label, value, onChange, invalid, required, inputMode }: TextFieldProps) {
  return (
    <FormGroup label={label} isRequired={required} fieldId={id}>
      <TextInput id={id} inputMode={inputMode} value={value} onChange={(_e, v) => onChange(v)} validated={invalid ? 'error' : 'default'} />
      {invalid && <FieldError text={invalid} />}
    </FormGroup>
  );
}
