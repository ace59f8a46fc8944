(function(root,factory){if(typeof module==='object'&&module.exports)module.exports=factory();else root.ReaderText=factory();}(typeof self!=='undefined'?self:this,function(){'use strict';var APOSTROPHES='\'\u2019\u2018\u02bc';var MARK=/\p{M}/gu,WORD=/^[\p{L}\p{N}]$/u,LETTER=/^\p{L}$/u,DIGIT=/^\p{Nd}$/u;function foldChar(ch){var folded='';for(var c of ch.normalize('NFKD').replace(MARK,''))folded+=c.toLowerCase();return folded;}
function isWordChar(c){return c!==''&&APOSTROPHES.indexOf(c)<0&&WORD.test(c);}
function isLetter(c){return c!==''&&APOSTROPHES.indexOf(c)<0&&LETTER.test(c);}
function isDigit(c){return c!==''&&DIGIT.test(c);}
function foldedChars(text){var chars=[],i=0;for(var ch of text){var folded=foldChar(ch),end=i+ch.length;if(folded){for(var c of folded)chars.push([c,i,end]);}else if(chars.length&&chars[chars.length-1][2]===i){chars[chars.length-1][2]=end;}
i=end;}
return chars;}
function charAt(chars,i){return i>=0&&i<chars.length?chars[i][0]:'';}
function abbreviationAt(chars,i){var letters='',end=i,j=i;while(isLetter(charAt(chars,j))&&!isWordChar(charAt(chars,j+1))){letters+=chars[j][0];if(charAt(chars,j+1)!=='.'){end=chars[j][2];j+=1;break;}
end=chars[j+1][2];j+=2;}
if([...letters].length<2)return null;return[{term:letters,start:chars[i][1],end:end},j];}
function wordAt(chars,i){var term='',end=chars[i][2],j=i,last='';while(j<chars.length){var c=chars[j][0],nxt=charAt(chars,j+1);if(isWordChar(c)){term+=c;last=c;end=chars[j][2];}else if(!isWordChar(nxt)){break;}else if(APOSTROPHES.indexOf(c)>=0||(c===','&&isDigit(last)&&isDigit(nxt))){}else if(c==='.'&&isDigit(last)&&isDigit(nxt)){term+=c;}else{break;}
j+=1;}
return[{term:term,start:chars[i][1],end:end},j];}
function tokenize(text){var chars=foldedChars(String(text)),tokens=[],i=0;while(i<chars.length){if(!isWordChar(chars[i][0])){i+=1;continue;}
var found=abbreviationAt(chars,i)||wordAt(chars,i);tokens.push(found[0]);i=found[1];}
return tokens;}
return{tokenize:tokenize};}));