package dev.sekisho.planner.catalog.pg;

import java.util.ArrayList;
import java.util.List;

/** PostgreSQL's text form of arrays, for values the local engine computes as lists ({@code ARRAY(SELECT ...)}). */
public final class PgArrays
{
    private PgArrays() {}

    /** {@code {a,b,NULL}}, elements quoted where PostgreSQL quotes them; booleans as {@code t}/{@code f}. */
    public static String text(List<?> elements)
    {
        List<String> texts = new ArrayList<>(elements.size());
        for (Object element : elements) {
            texts.add(element == null ? null : element instanceof Boolean bool ? (bool ? "t" : "f") : element.toString());
        }
        return PgFunctions.toArray(texts);
    }
}
