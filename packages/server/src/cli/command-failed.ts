// A command that ran but did not get what it was asked for (a test delivery the endpoint refused, a rotation that
// could not finish): main prints its message on one line, without a stack, and exits 1.

export class CommandFailed extends Error {
  override name = 'CommandFailed';
}
