/**
 * The protocol-agnostic execution layer every front door shares: what a statement's failure means
 * to a client, independent of how the client is spoken to.
 */
package dev.sekisho.gateway.execution;
