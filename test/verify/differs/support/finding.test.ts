import test from 'ava';
import { stamp } from '../../../../src/verify/differs/support/finding.js';

test('stamp adds the aspect and kind to a finding and keeps the rest', (t) => {
  const finding = { subject: '/app', field: 'mode', legacy: '0644', migrated: '0755', message: 'm' };
  t.deepEqual(stamp('files', 'difference')(finding), { aspect: 'files', kind: 'difference', ...finding });
  t.like(stamp('sizes', 'info')(finding), { aspect: 'sizes', kind: 'info', subject: '/app' });
});
