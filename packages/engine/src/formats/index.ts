import type { BankFormat, BankReader } from '../core/statement';
import { readBai2 } from './bai2/bai2.reader';
import { readCamt } from './camt/camt.reader';
import { readMt940 } from './mt940/mt940.reader';
import { readOfx } from './ofx/ofx.reader';
import { readQif } from './qif/qif.reader';

/**
 * Bank readers by format, with default options (QIF: US month/day/year dates, `.` decimals).
 * @example const result = bankReaders.mt940(bytes); // records, statements (balance check), row errors
 */
export const bankReaders: Partial<Record<BankFormat, BankReader>> = {
  camt: readCamt,
  mt940: readMt940,
  ofx: readOfx,
  qif: (content) => readQif(content),
  bai2: readBai2,
};

export { BankFormatError, type BankFormatErrorCode } from './shared/bank-format.error';
export { readBai2, type Bai2ControlCheck, type Bai2ReadResult } from './bai2/bai2.reader';
export type { Bai2Summary } from './bai2/bai2-account';
export { readCamt, type CamtBalance, type CamtReadResult, type CamtStatementInfo } from './camt/camt.reader';
export {
  readMt940,
  type Mt940Balance,
  type Mt940ReadResult,
  type Mt940StatementInfo,
} from './mt940/mt940.reader';
export { readOfx, type OfxReadResult, type OfxStatementInfo } from './ofx/ofx.reader';
export { createQifReader, readQif, type QifOptions } from './qif/qif.reader';
export type { QifDateOrder } from './qif/qif-values';
