/** `docker export`: a container's whole file system as a tar stream, another extraction form not migrated yet (RS307). */
import { diagnostic } from '../../model/diagnostic.js';
import type { CommandAnalyzer } from '../command.js';

export const verbs = [['export'], ['container', 'export']];

export const analyze: CommandAnalyzer = (call, sink) => {
  sink.report(
    diagnostic(
      'RS307',
      call.at,
      '`docker export` extracts the whole file system as a tar stream; that extraction form is not supported yet — restage migrates `docker create` + `docker cp`',
    ),
  );
  return undefined;
};
