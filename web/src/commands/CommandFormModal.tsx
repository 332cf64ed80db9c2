// A new saved command of the chosen org: name, target OS, shell (the OS's), script.
import { FormGroup, FormSelect, FormSelectOption, TextArea } from '@patternfly/react-core';
import { useState } from 'react';
import { FieldError } from '../auth/SignInPage';
import { FormModal, TextField } from '../components/FormModal';
import { SHELLS, useCreateCommand, type SavedCommand } from './api';

export function CommandFormModal({ org, orgName, onClose, onSaved }: { org: string; orgName: string; onClose: () => void; onSaved: (c: SavedCommand) => void }) {
  const create = useCreateCommand(org);
  const [name, setName] = useState('');
  const [os, setOs] = useState<SavedCommand['targetOS']>('linux');
  const [shell, setShell] = useState('bash');
  const [script, setScript] = useState('');
  const [invalid, setInvalid] = useState<Record<string, string>>({});
  const submit = () => {
    const bad: Record<string, string> = {};
    if (!name.trim()) bad.name = 'Enter a name.';
    if (!script.trim()) bad.script = 'Enter the script to run.';
    else if (new TextEncoder().encode(script).length > 32 * 1024) bad.script = 'The script must be at most 32 KiB.';
    setInvalid(bad);
    if (!Object.keys(bad).length) create.mutate({ name: name.trim(), targetOS: os, shell, script }, { onSuccess: (c) => (onSaved(c), onClose()) });
  };
  return (
    <FormModal id="command-form" title={`New command in ${orgName}`} submitLabel="Save command" onSubmit={submit} onClose={onClose} pending={create.isPending} error={create.error}>
      <TextField id="cmd-name" label="Name" value={name} onChange={setName} invalid={invalid.name} required />
      <FormGroup label="Target OS" fieldId="cmd-os" isRequired>
        <FormSelect
          id="cmd-os"
          value={os}
          onChange={(_e, v) => {
            const next = v as SavedCommand['targetOS'];
            setOs(next);
            setShell(SHELLS[next][0]!);
          }}
        >
          <FormSelectOption value="linux" label="Linux" />
          <FormSelectOption value="mac" label="macOS" />
          <FormSelectOption value="windows" label="Windows" />
        </FormSelect>
      </FormGroup>
      <FormGroup label="Shell" fieldId="cmd-shell" isRequired>
        <FormSelect id="cmd-shell" value={shell} onChange={(_e, v) => setShell(v)}>
          {SHELLS[os].map((s) => (
            <FormSelectOption key={s} value={s} label={s} />
          ))}
        </FormSelect>
      </FormGroup>
      <FormGroup label="Script" fieldId="cmd-script" isRequired>
        <TextArea id="cmd-script" value={script} onChange={(_e, v) => setScript(v)} rows={6} validated={invalid.script ? 'error' : 'default'} className="mtp-mono" />
        {invalid.script && <FieldError text={invalid.script} />}
      </FormGroup>
    </FormModal>
  );
}
