import type { NumberInputProps } from '@mantine/core';
import { Button, Group, NumberInput, Select, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { Search } from 'lucide-react';
import { useEffect, useState } from 'react';
import { useSearchParams } from 'react-router';
import type { DiscrepancyGridFilter, MatchGridFilter, UnmatchedGridFilter } from './grid-filters';
import { hasFilters, withFilter } from './grid-filters';

/** Reads and writes one filter in the address bar, so a filtered grid can be shared and the back button works. */
function useFilterParam() {
  const [params, setParams] = useSearchParams();
  const set = (name: string, value: string | number | undefined) => {
    setParams((current) => withFilter(current, name, value));
  };
  return { params, set };
}

/** Free text, sent a moment after typing stops (and at once on Enter). */
function SearchInput({ value, placeholder }: { value: string | undefined; placeholder: string }) {
  const { set } = useFilterParam();
  const [text, setText] = useState(value ?? '');
  useEffect(() => {
    setText(value ?? '');
  }, [value]);
  const send = useDebouncedCallback((next: string) => {
    set('q', next.trim() || undefined);
  }, 350);
  return (
    <TextInput
      aria-label="Search"
      placeholder={placeholder}
      leftSection={<Search size={14} aria-hidden />}
      w={260}
      value={text}
      onChange={(event) => {
        setText(event.currentTarget.value);
        send(event.currentTarget.value);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter') set('q', text.trim() || undefined);
      }}
    />
  );
}

function DateRange({ from, to }: { from: string | undefined; to: string | undefined }) {
  const { set } = useFilterParam();
  return (
    <>
      <TextInput
        type="date"
        aria-label="From date"
        w={150}
        value={from ?? ''}
        onChange={(event) => {
          set('date_from', event.currentTarget.value);
        }}
      />
      <TextInput
        type="date"
        aria-label="To date"
        w={150}
        value={to ?? ''}
        onChange={(event) => {
          set('date_to', event.currentTarget.value);
        }}
      />
    </>
  );
}

function ClearFilters() {
  const [params, setParams] = useSearchParams();
  if (!hasFilters(params)) return null;
  return (
    <Button
      variant="subtle"
      size="compact-sm"
      onClick={() => {
        const tab = params.get('tab');
        setParams(tab === null ? {} : { tab });
      }}
    >
      Clear filters
    </Button>
  );
}

/** A sort chooser: the grid's default order stays out of the address bar. */
function SortSelect({
  value,
  options,
  defaultValue,
  w,
}: {
  value: string;
  options: { value: string; label: string }[];
  defaultValue: string;
  w: number;
}) {
  const { set } = useFilterParam();
  return (
    <Select
      aria-label="Sort"
      w={w}
      data={options}
      value={value}
      allowDeselect={false}
      onChange={(next) => {
        set('sort', next === defaultValue ? undefined : (next ?? undefined));
      }}
    />
  );
}

/** A clearable choice bound to one address-bar filter; cleared means "any". */
function ParamSelect({
  name,
  label,
  placeholder,
  w,
  data,
  value,
}: {
  name: string;
  label: string;
  placeholder: string;
  w: number;
  data: (string | { value: string; label: string })[];
  value: string | undefined;
}) {
  const { set } = useFilterParam();
  return (
    <Select
      aria-label={label}
      placeholder={placeholder}
      w={w}
      clearable
      data={data}
      value={value ?? null}
      onChange={(next) => {
        set(name, next ?? undefined);
      }}
    />
  );
}

/** A whole or decimal number filter; an emptied field removes the filter. */
function ParamNumber({
  name,
  value,
  ...input
}: { name: string; value: number | undefined } & Omit<NumberInputProps, 'value' | 'onChange'>) {
  const { set } = useFilterParam();
  return (
    <NumberInput
      {...input}
      value={value ?? ''}
      onChange={(next) => {
        set(name, typeof next === 'number' ? next : undefined);
      }}
    />
  );
}

const MATCH_SORTS = [
  { value: 'match_id', label: 'Match number' },
  { value: 'score_desc', label: 'Score, highest first' },
  { value: 'score_asc', label: 'Score, lowest first' },
  { value: 'amount_difference_desc', label: 'Amount difference, largest first' },
  { value: 'amount_difference_asc', label: 'Amount difference, smallest first' },
  { value: 'date_desc', label: 'Date, newest first' },
  { value: 'date_asc', label: 'Date, oldest first' },
];
const TIERS = [
  { value: 'auto', label: 'Auto' },
  { value: 'suggested', label: 'Suggested' },
  { value: 'manual', label: 'Manual' },
];
const SCORE = { w: 100, min: 0, max: 1, step: 0.05, decimalScale: 2 } as const;

/** Lower and upper bound of the match score, each optional. */
function ScoreRange({ min, max }: { min: number | undefined; max: number | undefined }) {
  return (
    <>
      {(['min', 'max'] as const).map((bound) => (
        <ParamNumber
          key={bound}
          name={`${bound}_score`}
          aria-label={bound === 'min' ? 'Minimum score' : 'Maximum score'}
          placeholder={bound === 'min' ? 'Score ≥' : 'Score ≤'}
          {...SCORE}
          value={bound === 'min' ? min : max}
        />
      ))}
    </>
  );
}

/** Search, tier, pass, score range, amount difference, dates and sort of a matches tab. */
export function MatchFilterBar({ filter, passes }: { filter: MatchGridFilter; passes: string[] }) {
  return (
    <Group gap="xs" align="flex-end" role="search" aria-label="Filter matches">
      <SearchInput value={filter.q} placeholder="Reference, counterparty, description, id" />
      <SortSelect value={filter.sort} options={MATCH_SORTS} defaultValue="match_id" w={250} />
      <ParamSelect name="tier" label="Tier" placeholder="Any tier" w={130} data={TIERS} value={filter.tier} />
      {passes.length > 1 && (
        <ParamSelect
          name="pass"
          label="Pass"
          placeholder="Any pass"
          w={160}
          data={passes}
          value={filter.pass}
        />
      )}
      <ScoreRange min={filter.min_score} max={filter.max_score} />
      <ParamNumber
        name="min_amount_difference"
        aria-label="Minimum amount difference in minor units"
        placeholder="Difference ≥ (cents)"
        w={170}
        min={0}
        allowDecimal={false}
        value={filter.min_amount_difference}
      />
      <DateRange from={filter.date_from} to={filter.date_to} />
      <ClearFilters />
    </Group>
  );
}

const UNMATCHED_SORTS = [
  { value: 'row', label: 'File order' },
  { value: 'amount_desc', label: 'Amount, largest first' },
  { value: 'amount_asc', label: 'Amount, smallest first' },
  { value: 'date_asc', label: 'Age, oldest first' },
  { value: 'date_desc', label: 'Date, newest first' },
];
const STATUSES = [
  { value: 'open', label: 'Open' },
  { value: 'investigating', label: 'Investigating' },
  { value: 'resolved', label: 'Resolved' },
  { value: 'written_off', label: 'Written off' },
];

export function UnmatchedFilterBar({ filter }: { filter: UnmatchedGridFilter }) {
  return (
    <Group gap="xs" align="flex-end" role="search" aria-label="Filter unmatched records">
      <SearchInput value={filter.q} placeholder="Reference, counterparty, description, id" />
      <SortSelect value={filter.sort} options={UNMATCHED_SORTS} defaultValue="row" w={210} />
      <ParamSelect
        name="status"
        label="Status"
        placeholder="Any status"
        w={150}
        data={STATUSES}
        value={filter.status}
      />
      <DateRange from={filter.date_from} to={filter.date_to} />
      <ClearFilters />
    </Group>
  );
}

const DISCREPANCY_FIELDS = [
  { value: 'amount', label: 'Amount' },
  { value: 'booking_date', label: 'Booking date' },
  { value: 'value_date', label: 'Value date' },
];

export function DiscrepancyFilterBar({ filter }: { filter: DiscrepancyGridFilter }) {
  return (
    <Group gap="xs" role="search" aria-label="Filter discrepancies">
      <ParamSelect
        name="field"
        label="Field"
        placeholder="Every field"
        w={180}
        data={DISCREPANCY_FIELDS}
        value={filter.field}
      />
    </Group>
  );
}
