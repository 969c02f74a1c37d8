/**
 * The protocol-agnostic execution layer that every front door (the Postgres wire protocol now,
 * Avatica's JDBC over HTTP next) shares; it knows nothing of Netty or of any wire format.
 *
 * <ul>
 *   <li>{@link dev.sekisho.gateway.execution.Sessions} opens a
 *       {@link dev.sekisho.gateway.execution.ClientSession} for an authenticated principal and
 *       finds it again by key to cancel its statement;</li>
 *   <li>a {@code ClientSession} is the session API: prepare, bind, execute into a
 *       {@link dev.sekisho.gateway.execution.RowSink} up to a row limit, sync, cancel, close;</li>
 *   <li>every statement takes one path, the
 *       {@link dev.sekisho.gateway.execution.StatementPipeline} (plan, admission, execute, stream),
 *       whose hook points ({@link dev.sekisho.gateway.execution.Admission},
 *       {@link dev.sekisho.gateway.execution.StatementListener}) are where resource groups,
 *       budgets and the audit trail plug in;</li>
 *   <li>statements run on the bounded {@link dev.sekisho.gateway.execution.WorkerPool} (a
 *       {@link dev.sekisho.gateway.execution.LifoThreadPool}: the last idle thread takes the next
 *       task, so few threads stay warm), each
 *       session's requests in order through its
 *       {@link dev.sekisho.gateway.execution.SessionWorkQueue}, with backpressure both ways; a
 *       result-cache hit that runs without blocking may be answered on the front door's I/O thread
 *       instead, while the queue is idle ({@link dev.sekisho.gateway.execution.ClientSession#answerFromCache}),
 *       and so may a statement whose connector reads it there without blocking
 *       ({@link dev.sekisho.gateway.execution.ClientSession#startWithoutWorker},
 *       {@link dev.sekisho.gateway.execution.SourceAnswer});</li>
 *   <li>{@link dev.sekisho.gateway.execution.StatementFailures} says what any failure means to a
 *       client (a SQLSTATE), whichever protocol reports it.</li>
 * </ul>
 *
 * A front door is an adapter: it translates its frames into session calls and encodes what a
 * {@code RowSink} receives. The session's state itself (statements, portals, cursors, emulated
 * transactions, settings) lives in {@code dev.sekisho.gateway.session}.
 */
package dev.sekisho.gateway.execution;
