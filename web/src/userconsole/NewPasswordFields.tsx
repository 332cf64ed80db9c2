// "New password" and "Repeat the password": shared by the expired-password form and activation.
import { FormGroup, TextInput } from '@patternfly/react-core';
import { FieldError } from '../auth/SignInPage';

export function NewPasswordFields(props: {
  password: string;
  again: string;
  onPassword: (v: string) => void;
  onAgain: (v: string) => void;
  invalid: Record<string, string>;
}) {
  const { password, again, onPassword, onAgain, invalid } = props;
  return (
    <>
      <FormGroup label="New password" isRequired fieldId="uc-new-password">
        <TextInput id="uc-new-password" type="password" autoComplete="new-password" value={password} onChange={(_e, v) => onPassword(v)} validated={invalid.password ? 'error' : 'default'} isRequired />
        <FieldError text={invalid.password ?? 'At least 12 characters.'} plain={!invalid.password} />
      </FormGroup>
      <FormGroup label="Repeat the password" isRequired fieldId="uc-repeat-password">
        <TextInput id="uc-repeat-password" type="password" autoComplete="new-password" value={again} onChange={(_e, v) => onAgain(v)} validated={invalid.again ? 'error' : 'default'} isRequired />
        {invalid.again && <FieldError text={invalid.again} />}
      </FormGroup>
    </>
  );
}
