package dev.sekisho.planner.statement;

import dev.sekisho.planner.PreparedQuery;
import dev.sekisho.planner.SessionContext;
import dev.sekisho.planner.spi.ColumnType;

import java.util.List;
import java.util.Optional;

/**
 * A planner that takes a statement normalised already: a session that recognises the shape of the
 * text it was sent (the last text with other literals and another leading comment) hands over the
 * normalised form it made from its memory instead of the text, so that the text is neither lexed
 * nor normalised again.
 */
public interface NormalizedPlanning
{
    /**
     * The shared plan of {@code statement} with its literals bound, as the planner's
     * {@code prepare} of {@code statement.original()} would return it when it folds the literals;
     * empty when it would not (folding is off, the folded form does not plan whole at one source,
     * a literal does not read as its parameter's type): then the caller plans the text itself.
     *
     * @param declaredParameterTypes the types the client declared for its own parameters
     */
    Optional<PreparedQuery> prepareNormalized(NormalizedStatement statement, List<ColumnType> declaredParameterTypes, SessionContext session);

    /**
     * What {@link #prepareNormalized} would return, only when nothing needs to be planned for it:
     * the plan cache holds the folded form's plan (for the session's policy too), and the catalog
     * needs no refresh. Empty otherwise, having planned and changed nothing. Never blocks: a front
     * door's I/O thread may call it (planning is left to a worker).
     */
    default Optional<PreparedQuery> plannedNormalized(NormalizedStatement statement, List<ColumnType> declaredParameterTypes, SessionContext session)
    {
        return Optional.empty();
    }
}
