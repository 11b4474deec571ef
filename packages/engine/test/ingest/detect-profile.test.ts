import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSession, type EngineSession } from '../../src/duck/session';
import { detectMapping, ingestFile, profileTable, type IngestPhase } from '../../src/ingest/index';
import { fixture, tempDir } from './ingest-helpers';

let session: EngineSession;
let temp: ReturnType<typeof tempDir>;
beforeEach(async () => {
  session = await openSession({ threads: 1 });
  temp = tempDir();
});
afterEach(() => {
  session.close();
  temp.cleanup();
});

const write = (name: string, content: string) => {
  const path = join(temp.dir, name);
  writeFileSync(path, content);
  return path;
};

describe('detectMapping', () => {
  it.each([
    [
      'French',
      'Date opération;Date de valeur;Libellé;Montant;Devise\n15/01/2024;16/01/2024;Virement;-1 234,56;EUR\n16/01/2024;17/01/2024;Carte;20,00;EUR\n',
      {
        amount: { column: 'Montant' },
        booking_date: { column: 'Date opération', format: 'DD/MM/YYYY' },
        value_date: { column: 'Date de valeur' },
        description: 'Libellé',
        currency: { column: 'Devise' },
        number_format: { decimal_separator: ',', thousands_separator: ' ' },
      },
    ],
    [
      'Spanish',
      'Fecha;Fecha valor;Concepto;Importe;Moneda\n15/01/2024;15/01/2024;Nómina;1.500,00;EUR\n20/01/2024;21/01/2024;Luz;-45,10;EUR\n',
      {
        amount: { column: 'Importe' },
        booking_date: { column: 'Fecha' },
        value_date: { column: 'Fecha valor' },
        description: 'Concepto',
      },
    ],
    [
      'Italian',
      'Data;Data valuta;Descrizione;Importo\n15/01/2024;15/01/2024;Stipendio;1500,00\n20/01/2024;21/01/2024;Affitto;-700,00\n',
      {
        amount: { column: 'Importo' },
        booking_date: { column: 'Data' },
        value_date: { column: 'Data valuta' },
        description: 'Descrizione',
      },
    ],
    [
      'Portuguese',
      'Data;Descrição;Valor\n15/01/2024;Salário;1500,00\n20/01/2024;Aluguel;-700,00\n',
      {
        amount: { column: 'Valor' },
        booking_date: { column: 'Data' },
        description: 'Descrição',
      },
    ],
    [
      'Dutch',
      'Datum,Naam / Omschrijving,Rekening,Tegenrekening,Af Bij,Bedrag (EUR),Mededelingen\n20240105,AH,NL01,NL02,Af,"12,50",boodschappen\n20240106,Werk,NL01,NL03,Bij,"1000,00",salaris\n',
      {
        amount: { kind: 'direction', column: 'Bedrag (EUR)', direction_column: 'Af Bij' },
        booking_date: { column: 'Datum', format: 'YYYYMMDD' },
        account: 'Rekening',
        description: 'Mededelingen',
      },
    ],
  ])('proposes a mapping from %s headers', async (_language, content, expected) => {
    await ingestFile(session, 'left', { path: write('in.csv', content) });
    const proposal = await detectMapping(session, 'left');
    expect(proposal.mapping).toMatchObject(expected);
  });

  it('infers the decimal separator from the values when the header says nothing', async () => {
    await ingestFile(session, 'left', {
      path: write(
        'in.csv',
        'code;when;x\nA1;2024-01-01;1.234,50\nA2;2024-01-02;99,99\nA3;2024-01-03;-5,00\n',
      ),
    });
    const proposal = await detectMapping(session, 'left');
    expect(proposal.mapping).toMatchObject({
      external_id: 'code',
      amount: { column: 'x' },
      number_format: { decimal_separator: ',', thousands_separator: '.' },
    });
    expect(proposal.confidence.amount).toBeLessThan(0.9);
  });

  it('flags day-first versus month-first dates it cannot tell apart, and lowers the confidence', async () => {
    await ingestFile(session, 'left', {
      path: write('in.csv', 'id,date,amount\nA1,01/02/2024,1.00\nA2,03/04/2024,2.00\n'),
    });
    const proposal = await detectMapping(session, 'left');
    expect(proposal.notes.join(' ')).toMatch(/DD\/MM\/YYYY and MM\/DD\/YYYY/);
    expect(proposal.confidence.booking_date).toBe(0.5);
  });

  it('picks month-first when a day above 12 settles it', async () => {
    await ingestFile(session, 'left', {
      path: write('in.csv', 'id,date,amount\nA1,01/02/2024,1.00\nA2,12/31/2024,2.00\n'),
    });
    expect((await detectMapping(session, 'left')).mapping?.booking_date).toEqual({
      column: 'date',
      format: 'MM/DD/YYYY',
    });
  });
});

describe('profileTable', () => {
  it('profiles type, empties, distinct values, min/max and samples per column', async () => {
    await ingestFile(session, 'left', { path: fixture('de-semicolon.csv') });
    const profile = await profileTable(session, 'left');
    const byName = Object.fromEntries(profile.map((column) => [column.name, column]));
    expect(byName.Betrag).toMatchObject({
      inferredType: 'amount',
      format: ',|.',
      nullShare: 0,
      distinctCount: 3,
      min: '-950',
      max: '1234.56',
    });
    expect(byName.Buchungstag).toMatchObject({
      inferredType: 'date',
      format: 'DD.MM.YYYY',
      min: '2024-01-31',
      max: '2024-02-02',
    });
    expect(byName['Währung']).toMatchObject({ inferredType: 'currency', distinctCount: 1, samples: ['EUR'] });
    expect(byName.Buchungstext).toMatchObject({
      inferredType: 'text',
      samples: ['Gutschrift', 'Lastschrift', 'Kartenzahlung'],
    });
  });

  it('profiles invoice numbers as text, not as amounts with a currency mark', async () => {
    const path = write(
      'ids.csv',
      'Invoice,Total\ninv1,EUR 12.50\nINV-2,EUR 3.00\ninv3,USD 4.10\nINV-4,EUR 5.00\ninv5,EUR 6.00\n',
    );
    await ingestFile(session, 'left', { path, mapping: { amount: { kind: 'signed', column: 'Total' } } });
    const profile = await profileTable(session, 'left');
    const byName = Object.fromEntries(profile.map((column) => [column.name, column]));
    expect(byName.Invoice).toMatchObject({ inferredType: 'text', format: null });
    expect(byName.Total).toMatchObject({ inferredType: 'amount', format: '.|' });
  });

  it('counts empty cells in the null share', async () => {
    await ingestFile(session, 'left', { path: fixture('debit-credit.csv') });
    const profile = await profileTable(session, 'left');
    expect(profile.find((column) => column.name === 'Deposits')?.nullShare).toBeCloseTo(2 / 3);
  });
});

describe('ingestFile progress and cancellation', () => {
  it('reports phases in order, ending at 1', async () => {
    const seen: Array<[IngestPhase, number]> = [];
    await ingestFile(
      session,
      'left',
      { path: fixture('quoted.csv') },
      { onProgress: (phase, fraction) => seen.push([phase, fraction]) },
    );
    expect(seen.map(([phase]) => phase)).toEqual(['sniff', 'read', 'profile', 'detect', 'normalise', 'done']);
    expect(seen.map(([, fraction]) => fraction)).toEqual(
      [...seen.map(([, fraction]) => fraction)].sort((a, b) => a - b),
    );
    expect(seen.at(-1)?.[1]).toBe(1);
  });

  it('stops between phases when the signal is aborted', async () => {
    const controller = new AbortController();
    const run = ingestFile(
      session,
      'left',
      { path: fixture('quoted.csv') },
      {
        signal: controller.signal,
        onProgress: (phase) => {
          if (phase === 'read') controller.abort(new Error('user cancelled'));
        },
      },
    );
    await expect(run).rejects.toThrow('user cancelled');
  });
});

describe('ingestFile for batch runs', () => {
  const rawExists = async () => {
    const reader = await session.connection.runAndReadAll(
      "SELECT count(*)::INTEGER FROM duckdb_views() WHERE view_name = 'raw_left'",
    );
    return Number(reader.getRows()[0]?.[0]) > 0;
  };
  const csv = 'Date,Amount\n2024-01-01,12.50\n2024-01-02,-3.00\n';
  const mapping = {
    amount: { kind: 'signed', column: 'Amount' },
    booking_date: { column: 'Date', format: 'YYYY-MM-DD' },
  } as const;

  it('skips the profile and drops the raw table when asked, keeping the records', async () => {
    const path = write('batch.csv', csv);
    const result = await ingestFile(session, 'left', { path, mapping, profile: false, dropRaw: true });
    expect(result.loadedCount).toBe(2);
    expect(result.profile).toEqual([]);
    expect(await rawExists()).toBe(false);
  });

  it('keeps the raw table and profiles by default', async () => {
    const path = write('batch.csv', csv);
    const result = await ingestFile(session, 'left', { path, mapping });
    expect(result.profile.map((column) => column.name)).toEqual(['Date', 'Amount']);
    expect(await rawExists()).toBe(true);
  });
});
