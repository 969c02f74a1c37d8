/**
 * PostgreSQL's lexical syntax, shared by every module that reads SQL text: {@link
 * dev.sekisho.policies.sql.SqlLexer} cuts text into tokens once, {@link
 * dev.sekisho.policies.sql.SqlStatement} carries a statement's text with its tokens from the
 * gateway's splitter to the planner. It lives in {@code policies} because that is the module every
 * other one depends on, and policy expressions are SQL too.
 */
package dev.sekisho.policies.sql;
