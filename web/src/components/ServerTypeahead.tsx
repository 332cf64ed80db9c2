// A picker that asks the server as the admin types (20 at a time): a provider may have 10,000
// orgs or admins, so such a list is never loaded whole. `find` returns the choices matching a
// term (all when empty) and how many match in all; `allLabel` adds an "any" choice (value '')
// for filters. OrgTypeahead and AdminTypeahead are the two kinds.
import {
  Button,
  MenuToggle,
  Select,
  SelectList,
  SelectOption,
  TextInputGroup,
  TextInputGroupMain,
  TextInputGroupUtilities,
} from '@patternfly/react-core';
import { TimesIcon } from '@patternfly/react-icons';
import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { useDebounced } from './useDebounced';

export interface Choice {
  id: string;
  name: string;
}

export interface Found {
  choices: Choice[];
  total: number;
}

export interface TypeaheadProps {
  label: string;
  value: string;
  valueName?: string;
  onChange: (id: string, name: string) => void;
  allLabel?: string;
  placeholder?: string;
}

interface Props extends TypeaheadProps {
  queryKey: readonly unknown[];
  find: (term: string) => Promise<Found>;
  noneText: string;
}

export function ServerTypeahead({ queryKey, find, noneText, label, value, valueName, onChange, allLabel, placeholder }: Props) {
  const [open, setOpen] = useState(false);
  const [text, setText] = useState('');
  const [typing, setTyping] = useState(false);
  const listId = useId();
  const term = useDebounced(text.trim().replace(/[;:]/g, ' '), 200);
  const found = useQuery({
    queryKey: [...queryKey, 'typeahead', term],
    queryFn: () => find(term),
    enabled: open,
    staleTime: 30_000,
    placeholderData: (prev) => prev,
  });
  const shown = typing ? text : value ? (valueName ?? value) : '';
  const options = found.data?.choices ?? [];
  const more = (found.data?.total ?? 0) - options.length;

  const pick = (id: string, name: string) => {
    onChange(id, name);
    setTyping(false);
    setText('');
    setOpen(false);
  };

  return (
    <Select
      isOpen={open}
      selected={value}
      onSelect={(_e, v) => {
        const id = String(v ?? '');
        pick(id, id ? (options.find((o) => o.id === id)?.name ?? id) : '');
      }}
      onOpenChange={(o) => {
        setOpen(o);
        if (!o) setTyping(false);
      }}
      toggle={(ref) => (
        <MenuToggle ref={ref} variant="typeahead" isExpanded={open} onClick={() => setOpen(!open)} isFullWidth>
          <TextInputGroup isPlain>
            <TextInputGroupMain
              value={shown}
              placeholder={placeholder ?? allLabel ?? 'Type to search'}
              onClick={() => setOpen(true)}
              onChange={(_e, v) => {
                setText(v);
                setTyping(true);
                setOpen(true);
              }}
              autoComplete="off"
              role="combobox"
              isExpanded={open}
              aria-controls={listId}
              aria-label={label}
            />
            {(value || text) && (
              <TextInputGroupUtilities>
                <Button variant="plain" aria-label={`Clear ${label}`} icon={<TimesIcon />} onClick={() => pick('', '')} />
              </TextInputGroupUtilities>
            )}
          </TextInputGroup>
        </MenuToggle>
      )}
    >
      <SelectList id={listId} aria-label={`${label} choices`}>
        {allLabel && <SelectOption value="">{allLabel}</SelectOption>}
        {options.map((o) => (
          <SelectOption key={o.id} value={o.id}>
            {o.name}
          </SelectOption>
        ))}
        {found.isSuccess && options.length === 0 && (
          <SelectOption isDisabled value="__none">
            {noneText}
          </SelectOption>
        )}
        {more > 0 && (
          <SelectOption isDisabled value="__more">
            {more} more: type to narrow
          </SelectOption>
        )}
      </SelectList>
    </Select>
  );
}
