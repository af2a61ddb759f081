"""Legal-form words in many languages: noise when comparing names, so they are dropped.

Forms written in their own script are removed before transliteration (``SCRIPT_FORMS``),
the rest are token sequences after transliteration, lower case and the merging of single
letters (``S.A.`` becomes ``sa``, ``A.Ş.`` becomes ``as``). Longest sequences go first.
"""

from __future__ import annotations

SCRIPT_FORMS = (
    "股份有限公司",
    "有限责任公司",
    "有限責任公司",
    "有限公司",
    "株式会社",
    "有限会社",
    "合同会社",
    "주식회사",
    "(주)",
    "公司",
    "市",
    "省",
)

_FORMS = """
sa de cv | sab de cv | s de rl | s de rl de cv | sa de rl | sapi de cv | san tic | san ve tic
public company limited | public limited company | company limited | co ltd | pvt ltd
private limited | pte ltd | sdn bhd | ltd sti | san ve tic | sanayi ve ticaret
cong ty tnhh mtv | cong ty tnhh | cong ty co phan | cong ty cp | cong ty | cty tnhh | cty
gufen youxian gongsi | youxian zeren gongsi | youxian gongsi | gongsi
kabushiki kaisha | yugen kaisha | gmbh co kg | co kg | ag co kg | limited liability company
ltd | limited | pvt | private | co | company | corp | corporation | inc | incorporated
llc | plc | llp | lp | pt | cv | tbk | persero | sa | srl | sl | sas | sarl | spa | sro
gmbh | ag | kg | ug | as | asa | sti | sdn | bhd | jsc | ojsc | pjsc | cjsc | ooo | zao
oao | pao | ao | pte | bv | nv | oy | oyj | ab | aps | kk | tnhh | mtv | pcl | opc | ltda
sab | san | tic | sac | eirl | sae | se | kft | zrt | doo | ad | eood | sp zoo | spzoo
bvba | vof | ehf
"""

LEGAL_FORMS: tuple[tuple[str, ...], ...] = tuple(
    sorted(
        {tuple(form.split()) for line in _FORMS.strip().splitlines() for form in line.split("|")},
        key=lambda form: (-len(form), form),
    )
)

BY_FIRST_WORD: dict[str, tuple[tuple[str, ...], ...]] = {}
for _form in LEGAL_FORMS:
    BY_FIRST_WORD[_form[0]] = (*BY_FIRST_WORD.get(_form[0], ()), _form)
