(function(global){'use strict';const APOSTROPHES='\'\u2019\u2018\u02bc';const MARK=/\p{M}/gu,WORD=/^[\p{L}\p{N}]$/u,LETTER=/^\p{L}$/u,DIGIT=/^\p{Nd}$/u;const LETTER_FOLDS=Object.fromEntries('\u00e6ae \u00f0d \u00f8o \u00feth \u00dfss \u0111d \u0127h \u0131i \u0138k \u0140l \u0142l \u014bn \u0153oe \u0167t'.split(' ').map((pair)=>[pair[0],pair.slice(1)]));function foldChar(ch){return LETTER_FOLDS[ch.toLowerCase()]||[...ch.normalize('NFKD').replace(MARK,'')].map((c)=>c.toLowerCase()).join('');}
const isWordChar=(c)=>WORD.test(c)&&!APOSTROPHES.includes(c);const isLetter=(c)=>LETTER.test(c)&&!APOSTROPHES.includes(c);const isDigit=(c)=>DIGIT.test(c);function foldedChars(text){const chars=[];let i=0;for(const ch of text){const folded=foldChar(ch),end=i+ch.length;if(folded){for(const c of folded)chars.push([c,i,end]);}else if(chars.length&&chars[chars.length-1][2]===i){chars[chars.length-1][2]=end;}
i=end;}
return chars;}
const charAt=(chars,i)=>(i>=0&&i<chars.length?chars[i][0]:'');function abbreviationAt(chars,i){let letters='',end=i,j=i;while(isLetter(charAt(chars,j))&&!isWordChar(charAt(chars,j+1))){letters+=chars[j][0];if(charAt(chars,j+1)!=='.'){end=chars[j][2];j+=1;break;}
end=chars[j+1][2];j+=2;}
return[...letters].length>1?[{term:letters,start:chars[i][1],end},j]:null;}
function wordAt(chars,i){let term='',end=chars[i][2],j=i,last='';while(j<chars.length){const c=chars[j][0],nxt=charAt(chars,j+1);if(isWordChar(c)){term+=c;last=c;end=chars[j][2];}else if(!isWordChar(nxt)){break;}else if(APOSTROPHES.includes(c)||(c===','&&isDigit(last)&&isDigit(nxt))){}else if(c==='.'&&isDigit(last)&&isDigit(nxt)){term+=c;}else{break;}
j+=1;}
return[{term,start:chars[i][1],end},j];}
const chunks=new Map();function tokenize(text){const tokens=[];for(const run of String(text).matchAll(/\S+/g)){let found=chunks.get(run[0]);if(!found){if(chunks.size>=65536)chunks.clear();chunks.set(run[0],(found=scan(run[0])));}
for(const t of found)tokens.push({term:t.term,start:t.start+run.index,end:t.end+run.index});}
return tokens;}
function scan(text){const chars=foldedChars(text),tokens=[];let i=0;while(i<chars.length){if(!isWordChar(chars[i][0])){i+=1;continue;}
const found=abbreviationAt(chars,i)||wordAt(chars,i);tokens.push(found[0]);i=found[1];}
return tokens;}
global.ReaderText={tokenize};}(typeof globalThis!=='undefined'?globalThis:this));